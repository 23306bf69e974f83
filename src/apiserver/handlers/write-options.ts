import { badRequest } from '../status-error.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Query options every write understands, plus the warnings gathered while serving it. */
export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  force: boolean;
  warnings: string[];
  /** Set by server-side apply, which maintains managedFields itself. */
  fieldsTracked?: boolean;
}

/** The manager name upstream derives from the User-Agent when `fieldManager` is absent. */
function managerFromUserAgent(ua: string | undefined): string {
  const first = (ua ?? '').split('/')[0]?.trim();
  return first ? first.slice(0, 128) : 'unknown';
}

export function parseWriteOptions(query: URLSearchParams, userAgent: string | undefined): WriteOptions {
  const dryRun = query.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw badRequest(`Invalid dryRun value: ${d}; only "All" is supported`);
  const fv = query.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${fv}`);
  }
  const manager = query.get('fieldManager');
  if (manager !== null && manager.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
  const force = query.get('force');
  return {
    dryRun: dryRun.length > 0,
    fieldManager: manager || managerFromUserAgent(userAgent),
    fieldValidation: fv,
    force: force === 'true',
    warnings: [],
  };
}
