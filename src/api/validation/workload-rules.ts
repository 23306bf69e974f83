import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { FieldError } from '../types.ts';
import { immutable, selectorIsEmpty, selectorMatches, validateLabelSelector } from './common-rules.ts';
import { invalid, notSupported, required } from './field-errors.ts';
import type { FieldPath } from './field-path.ts';
import { validatePodTemplateSpec } from './pod-validation.ts';

/* Rules every controller-owned workload shares: selector, template, immutable selector. */

/** The template's labels must satisfy the selector, or the controller could never find its pods. */
export function validateTemplateMatchesSelector(selector: LabelSelector, template: PodTemplateSpec, templatePath: FieldPath): FieldError[] {
  if (selectorIsEmpty(selector) || selectorMatches(selector, template.metadata?.labels)) return [];
  return [invalid(templatePath.child('metadata', 'labels'), template.metadata?.labels ?? {}, '`selector` does not match template `labels`')];
}

/** Options for {@link validateSelectorAndTemplate}. */
export interface SelectorTemplateOptions {
  /** Lower-case kind for upstream's `empty selector is invalid for <kind>` text. */
  kind: string;
  /** Pod restart policies the controller supports (`Always` for long-running workloads). */
  restartPolicies: string[];
  /** Volume names the pods get besides the template's own (StatefulSet claim templates). */
  claimVolumes?: string[];
}

/** A required non-empty selector, a valid template whose labels it matches, and a supported restart policy. */
export function validateSelectorAndTemplate(
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  spec: FieldPath,
  options: SelectorTemplateOptions,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!selector) errs.push(required(spec.child('selector')));
  else if (selectorIsEmpty(selector)) errs.push(invalid(spec.child('selector'), selector, `empty selector is invalid for ${options.kind}`));
  else errs.push(...validateLabelSelector(selector, spec.child('selector')));
  const templatePath = spec.child('template');
  if (!template) return [...errs, required(templatePath)];
  if (selector) errs.push(...validateTemplateMatchesSelector(selector, template, templatePath));
  errs.push(...validatePodTemplateSpec(template, templatePath, options.claimVolumes));
  const policy = template.spec?.restartPolicy;
  if (policy && !options.restartPolicies.includes(policy)) {
    errs.push(notSupported(templatePath.child('spec', 'restartPolicy'), policy, options.restartPolicies));
  }
  return errs;
}

/** The selector may not change after creation (apps/v1 and batch/v1 rule). */
export function selectorImmutable(selector: LabelSelector | undefined, old: LabelSelector | undefined, spec: FieldPath): FieldError[] {
  return immutable(selector, old, spec.child('selector'));
}
