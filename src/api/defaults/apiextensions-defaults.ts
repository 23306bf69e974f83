import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { KubeObject } from '../types.ts';

/** CustomResourceDefinition: singular and listKind from kind, conversion strategy None. */
export function defaultCustomResourceDefinition(obj: KubeObject): void {
  const spec = (obj as unknown as CustomResourceDefinition).spec;
  if (!spec) return;
  const names = spec.names;
  if (names?.kind) {
    names.singular ??= names.kind.toLowerCase();
    names.listKind ??= `${names.kind}List`;
  }
  const conversion = (spec.conversion ??= { strategy: 'None' });
  if (conversion.strategy === 'Webhook' && conversion.webhook) conversion.webhook.conversionReviewVersions ??= ['v1'];
}
