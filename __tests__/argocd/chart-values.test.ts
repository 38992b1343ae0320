import { ALL_ENVIRONMENTS } from '../support/synth';
import { FREE_FORM, referenceValues, unknownValueKeys } from './helpers/chart-values';
import { argocdJson, releases } from './helpers/stack';

describe.each(ALL_ENVIRONMENTS)('chart values (%s)', (envName) => {
  test('every values key exists in the pinned chart values file', () => {
    const all = releases(argocdJson(envName));
    expect(Object.keys(all).sort()).toEqual(['argo-cd', 'argocd-apps', 'aws-load-balancer-controller', 'cluster-autoscaler', 'external-dns', 'sealed-secrets']);
    for (const [chart, { config, values }] of Object.entries(all)) {
      expect({ chart, unknown: unknownValueKeys(values, referenceValues(chart, config.version), FREE_FORM[chart]) }).toEqual({ chart, unknown: [] });
    }
  });
});

describe('the key check itself', () => {
  const argo = () => referenceValues('argo-cd', '10.1.1');

  test('a misspelt key fails', () => {
    expect(unknownValueKeys({ sever: { replicas: 2 } }, argo(), FREE_FORM['argo-cd'])).toEqual(['sever']);
    expect(unknownValueKeys({ server: { replica: 2, ingress: { hostName: 'x' } } }, argo(), FREE_FORM['argo-cd'])).toEqual(['server.replica', 'server.ingress.hostName']);
    expect(unknownValueKeys({ redis: { enable: true } }, argo())).toEqual(['redis.enable']);
  });

  test('a map where the chart expects a scalar fails', () => {
    expect(unknownValueKeys({ server: { replicas: { count: 2 } } }, argo())).toEqual(['server.replicas (a map where the chart has a number)']);
  });

  test('free-form maps and user maps accept any key, only where declared', () => {
    expect(unknownValueKeys({ configs: { cm: { 'dex.config': 'x' } } }, argo(), FREE_FORM['argo-cd'])).toEqual([]);
    expect(unknownValueKeys({ configs: { cm: { 'dex.config': 'x' } } }, argo(), [])).toEqual(['configs.cm.dex.config']);
    expect(unknownValueKeys({ server: { ingress: { annotations: { 'any/thing': 'x' } } } }, argo())).toEqual([]);
  });

  test('each chart of the other releases is checked too', () => {
    expect(unknownValueKeys({ keyRenewPeriod: '0' }, referenceValues('sealed-secrets', '2.18.5'))).toEqual(['keyRenewPeriod']);
    expect(unknownValueKeys({ domainFilter: [] }, referenceValues('external-dns', '1.21.1'))).toEqual(['domainFilter']);
    expect(unknownValueKeys({ rbac: { serviceAccountName: 'x' } }, referenceValues('cluster-autoscaler', '9.59.0'))).toEqual(['rbac.serviceAccountName']);
    expect(unknownValueKeys({ enableWafV2: true }, referenceValues('aws-load-balancer-controller', '3.5.0'))).toEqual(['enableWafV2']);
    expect(unknownValueKeys({ application: {} }, referenceValues('argocd-apps', '2.0.5'))).toEqual(['application']);
  });
});
