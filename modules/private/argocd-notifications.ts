/**
 * Notification triggers and Slack templates of the Argo CD notifications catalog that the Applications
 * subscribe to (`on-sync-failed`, `on-health-degraded`, `on-deployed`; gitops/argocd/<env>/applicationset.yaml).
 * Conditions are the catalog's (argo-cd `notifications_catalog`); the messages are shortened.
 */

const slackAttachment = (color: string, status: string) =>
  JSON.stringify([
    {
      title: '{{ .app.metadata.name }}',
      title_link: '{{ .context.argocdUrl }}/applications/{{ .app.metadata.name }}',
      color,
      fields: [
        { title: status, value: '{{ .app.status.sync.status }} / {{ .app.status.health.status }}', short: true },
        { title: 'Revision', value: '{{ .app.status.sync.revision }}', short: true },
      ],
    },
  ]);

export const NOTIFICATION_TEMPLATES: Record<string, string> = {
  'template.app-deployed': `message: "Application {{ .app.metadata.name }} is now running revision {{ .app.status.sync.revision }}."\nslack:\n  attachments: '${slackAttachment('#18be52', 'Sync / health')}'\n`,
  'template.app-health-degraded': `message: "Application {{ .app.metadata.name }} has degraded."\nslack:\n  attachments: '${slackAttachment('#f4c030', 'Sync / health')}'\n`,
  'template.app-sync-failed': `message: "The sync of application {{ .app.metadata.name }} failed at {{ .app.status.operationState.finishedAt }}: {{ .app.status.operationState.message }}"\nslack:\n  attachments: '${slackAttachment('#E96D76', 'Sync / health')}'\n`,
};

export const NOTIFICATION_TRIGGERS: Record<string, string> = {
  'trigger.on-deployed': `- description: Application is synced and healthy. Triggered once per commit.\n  oncePer: app.status.sync.revision\n  send: [app-deployed]\n  when: app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'\n`,
  'trigger.on-health-degraded': `- description: Application has degraded\n  send: [app-health-degraded]\n  when: app.status.health.status == 'Degraded'\n`,
  'trigger.on-sync-failed': `- description: Application syncing has failed\n  send: [app-sync-failed]\n  when: app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']\n`,
};

/**
 * Health of an `argoproj.io/Application` as its own reported health, so an app-of-apps is Healthy only when
 * its children are (Argo CD dropped this built-in check in 1.8; this is the snippet its docs give back).
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;
