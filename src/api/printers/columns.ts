import type { TableColumnDefinition } from '../resource-definition.ts';

/** ObjectMeta's `name` documentation, which upstream uses for every Name column. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** ObjectMeta's `creationTimestamp` documentation, used for every Age column. */
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';

interface ColumnOptions {
  type?: TableColumnDefinition['type'];
  format?: string;
  /** 1 for `-o wide` only. */
  priority?: number;
}

/** A column definition; type defaults to string and priority to 0, as upstream's literals do. */
export function column(name: string, description: string, options: ColumnOptions = {}): TableColumnDefinition {
  return { name, type: options.type ?? 'string', format: options.format ?? '', description, priority: options.priority ?? 0 };
}

/** A `-o wide` column. */
export function wideColumn(name: string, description: string, type: TableColumnDefinition['type'] = 'string'): TableColumnDefinition {
  return column(name, description, { type, priority: 1 });
}

/** The Name column (format `name`) that leads nearly every table. */
export function nameColumn(): TableColumnDefinition {
  return column('Name', NAME_DESCRIPTION, { format: 'name' });
}

/** The Age column: a server-rendered string such as `5m`, not a date. */
export function ageColumn(): TableColumnDefinition {
  return column('Age', CREATION_TIMESTAMP_DESCRIPTION);
}

/** The wide Containers and Images columns of workload kinds. */
export function containerColumns(): TableColumnDefinition[] {
  return [wideColumn('Containers', CONTAINERS_DESCRIPTION), wideColumn('Images', IMAGES_DESCRIPTION)];
}
