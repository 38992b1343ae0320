/**
 * Schema validation with the kubernetes-models packages, strict about unknown fields.
 *
 * The models' `validate()` (ajv standalone code compiled from the OpenAPI / CRD schemas) accepts unknown
 * properties. It does, however, read every property its schema knows. So the object is handed to the
 * model's validator behind a Proxy that records each property read, and any property present in the
 * object but never read by the validator is reported as unknown.
 */
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { SealedSecret } from '@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1/SealedSecret';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { Manifest } from './manifests';

/** A kubernetes-models class: static apiVersion/kind, and `prototype.validate` set by `setValidateFunc`. */
interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: object;
}

const MODELS: readonly ModelClass[] = [
  Namespace, ConfigMap, Secret, Service, ServiceAccount,
  Deployment, StatefulSet, DaemonSet, Job, HorizontalPodAutoscaler, PodDisruptionBudget, Ingress, NetworkPolicy,
  ClusterRole, ClusterRoleBinding,
  Application, ApplicationSet, AppProject, SealedSecret,
  ServiceMonitor, PodMonitor, PrometheusRule,
];

/**
 * Kinds allowed without a schema model, each with the reason. Empty today: every kind this repository
 * renders has a model, and a new kind without one fails the schema test until it is listed here.
 */
export const KINDS_WITHOUT_MODEL: Readonly<Record<string, string>> = {};

/**
 * Properties the models declare but whose schema is empty (`{}`), so the compiled validator never reads
 * them. Without this list they would look unknown. Each entry names the model declaration that lists the
 * property; a test checks the declaration really has it, so the list cannot hide a typo.
 */
export const UNCHECKED_FIELDS: readonly { kind: string; pointer: string; declaredIn: string; property: string }[] = [
  {
    kind: 'AppProject',
    pointer: '/spec/description',
    declaredIn: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProjectSpec.d.ts',
    property: 'description',
  },
  {
    kind: 'AppProject',
    pointer: '/spec/roles/*/description',
    declaredIn: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ProjectRole.d.ts',
    property: 'description',
  },
];

/**
 * Properties whose schema is free-form (`x-kubernetes-preserve-unknown-fields`): what is below them is
 * not the model's to check. Each is checked elsewhere, named in `checkedBy`; the declaration test holds
 * them to the model like UNCHECKED_FIELDS.
 */
export const FREE_FORM_FIELDS: readonly { kind: string; pointer: string; declaredIn: string; property: string; checkedBy: string }[] = [
  {
    kind: 'Application',
    pointer: '/spec/source/helm/valuesObject',
    declaredIn: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSourceHelm.d.ts',
    property: 'valuesObject',
    checkedBy: '__tests__/observability/chart-values.test.ts (every key against the pinned chart\'s values)',
  },
];

const modelKey = (apiVersion: string, kind: string): string => `${apiVersion}/${kind}`;
const MODEL_BY_KEY = new Map(MODELS.map((m) => [modelKey(m.apiVersion, m.kind), m]));

export function modelFor(obj: { apiVersion: string; kind: string }): ModelClass | undefined {
  return MODEL_BY_KEY.get(modelKey(obj.apiVersion, obj.kind));
}

export interface StrictResult {
  readonly schemaErrors: string[];
  readonly unknownFields: string[];
}

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;
const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

function tracked<T>(value: T, pointer: string, read: Set<string>): T {
  if (!isContainer(value)) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver);
      if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(target, key)) {
        const childPointer = `${pointer}/${escape(key)}`;
        read.add(childPointer);
        return tracked(child, childPointer, read);
      }
      return child;
    },
  });
}

const generic = (pointer: string): string => pointer.replace(/\/\d+(?=\/|$)/g, '/*');

function unknownFields(value: unknown, pointer: string, read: Set<string>, unchecked: Set<string>, out: string[], freeForm: Set<string> = new Set()): void {
  if (!isContainer(value)) return;
  if (freeForm.has(generic(pointer))) return;
  for (const [key, child] of Object.entries(value)) {
    const childPointer = `${pointer}/${escape(key)}`;
    if (!Array.isArray(value) && !read.has(childPointer) && !unchecked.has(generic(childPointer))) {
      out.push(childPointer);
      continue;
    }
    unknownFields(child, childPointer, read, unchecked, out, freeForm);
  }
}

/** Validates one object against its model; throws when the kind has no model and is not excused. */
export function validateStrict(obj: Manifest): StrictResult {
  const model = modelFor(obj);
  if (!model) {
    if (KINDS_WITHOUT_MODEL[obj.kind] !== undefined) return { schemaErrors: [], unknownFields: [] };
    throw new Error(`no schema model for ${obj.apiVersion} ${obj.kind} (${obj.metadata?.name}); add one or list it in KINDS_WITHOUT_MODEL with a reason`);
  }
  const read = new Set<string>();
  const schemaErrors: string[] = [];
  try {
    (model.prototype as { validate(this: unknown): void }).validate.call(tracked(obj, '', read));
  } catch (e) {
    schemaErrors.push((e as Error).message);
  }
  const unknown: string[] = [];
  const unchecked = new Set(UNCHECKED_FIELDS.filter((f) => f.kind === obj.kind).map((f) => f.pointer));
  const freeForm = new Set(FREE_FORM_FIELDS.filter((f) => f.kind === obj.kind).map((f) => f.pointer));
  unknownFields(obj, '', read, unchecked, unknown, freeForm);
  return { schemaErrors, unknownFields: unknown };
}
