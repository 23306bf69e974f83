import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Event as EventsEvent } from 'kubernetes-types/events/v1.js';
import type { KubeObject } from '../types.ts';
import type { TablePrinter } from '../resource-definition.ts';
import { NAME_DESCRIPTION, column, wideColumn } from './columns.ts';
import { asKind, nameOf } from './format.ts';
import { translateTimestampSince } from './human-duration.ts';

/**
 * events.k8s.io/v1 Events in the core/v1 shape, the way the API server converts both to one
 * internal type before printing, so `kubectl get events.events.k8s.io` matches `kubectl get events`.
 */
function asCoreEvent(obj: KubeObject): CoreEvent {
  if (!obj.apiVersion?.startsWith('events.k8s.io/')) return asKind<CoreEvent>(obj);
  const e = asKind<EventsEvent>(obj);
  return {
    metadata: e.metadata ?? {},
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    eventTime: e.eventTime,
    series: e.series,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
  };
}

function firstNonEmpty(...values: Array<string | undefined>): string {
  return values.find((v) => v !== undefined && v !== '') ?? '';
}

/** `component, host`, falling back to the reporting controller and instance. */
function eventSource(e: CoreEvent): string {
  const component = firstNonEmpty(e.source?.component, e.reportingComponent);
  const instance = firstNonEmpty(e.source?.host, e.reportingInstance);
  return instance === '' ? component : `${component}, ${instance}`;
}

function eventCells(e: CoreEvent, now: Date): unknown[] {
  const firstSeen = e.firstTimestamp ? translateTimestampSince(e.firstTimestamp, now) : translateTimestampSince(e.eventTime, now);
  let lastSeen = e.lastTimestamp ? translateTimestampSince(e.lastTimestamp, now) : firstSeen;
  let count = e.count ?? 0;
  if (e.series) {
    lastSeen = translateTimestampSince(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }
  // involvedObject is required by validation, but a table must not fail on one malformed row.
  const involved = e.involvedObject ?? {};
  const kind = (involved.kind ?? '').toLowerCase();
  const target = involved.name ? `${kind}/${involved.name}` : kind;
  return [lastSeen, e.type ?? '', e.reason ?? '', target, involved.fieldPath ?? '', eventSource(e), (e.message ?? '').trim(), firstSeen, count, nameOf(e)];
}

/** Events (core and events.k8s.io): LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME. */
export const eventPrinter: TablePrinter = {
  columns: [
    column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'The object that this event is about.'),
    wideColumn('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].'),
    wideColumn('Source', 'The component reporting this event. Should be a short machine understandable string.'),
    column('Message', 'A human-readable description of the status of this operation.'),
    wideColumn('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
    wideColumn('Count', 'The number of times this event has occurred.'),
    column('Name', NAME_DESCRIPTION, { format: 'name', priority: 1 }),
  ],
  cells: (obj, now) => eventCells(asCoreEvent(obj), now),
};
