import * as fs from 'fs';
import { ManifestError } from './manifest';

/** examples/app.json: the app's tables and routes (docs/reference/app.md), as the CDK app and the local run read it. */
export interface AppTable {
  readonly id: string;
  readonly env: string;
  readonly partitionKey: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
  readonly readWrite: string[];
  readonly read: string[];
}
export interface AppRoute {
  readonly route: string;
  readonly function: string;
  readonly payloadFormatVersion?: '1.0' | '2.0';
}
export interface AppSpec {
  readonly tables: AppTable[];
  readonly httpApi?: { readonly routes: AppRoute[] };
  readonly webSocketApi?: {
    readonly routeSelectionExpression: string;
    readonly stage: string;
    readonly routes: AppRoute[];
    readonly manageConnections: string[];
  };
}

function fail(file: string, what: string): never {
  throw new ManifestError(`${file}: ${what}`);
}

function strings(file: string, v: unknown, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) fail(file, `${what} must be a list of function names`);
  return v as string[];
}

function routes(file: string, v: unknown, what: string): AppRoute[] {
  if (!Array.isArray(v)) fail(file, `${what}.routes must be a list`);
  return v.map((r, i) => {
    if (typeof r?.route !== 'string' || typeof r?.function !== 'string') fail(file, `${what}.routes[${i}] needs "route" and "function"`);
    if (r.payloadFormatVersion !== undefined && r.payloadFormatVersion !== '1.0' && r.payloadFormatVersion !== '2.0') {
      fail(file, `${what}.routes[${i}].payloadFormatVersion is "1.0" or "2.0"`);
    }
    return r as AppRoute;
  });
}

/** Reads and checks app.json; every function it names must be in `functions` (the manifest's). */
export function readApp(file: string, functions: string[]): AppSpec {
  if (!fs.existsSync(file)) throw new ManifestError(`no app definition at ${file} (LAMBDA_APP or context app)`);
  let raw: any;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    fail(file, `not JSON: ${(e as Error).message}`);
  }
  const tables: AppTable[] = (raw.tables ?? []).map((t: any, i: number) => {
    if (typeof t?.id !== 'string' || typeof t?.env !== 'string') fail(file, `tables[${i}] needs "id" and "env"`);
    const pk = t.partitionKey;
    if (typeof pk?.name !== 'string' || !['S', 'N', 'B'].includes(pk?.type)) fail(file, `tables[${i}].partitionKey needs "name" and "type" S, N or B`);
    return { id: t.id, env: t.env, partitionKey: pk, readWrite: strings(file, t.readWrite, `tables[${i}].readWrite`), read: strings(file, t.read, `tables[${i}].read`) };
  });
  const app: AppSpec = {
    tables,
    httpApi: raw.httpApi ? { routes: routes(file, raw.httpApi.routes, 'httpApi') } : undefined,
    webSocketApi: raw.webSocketApi ? {
      routeSelectionExpression: raw.webSocketApi.routeSelectionExpression ?? '$request.body.action',
      stage: raw.webSocketApi.stage ?? 'dev',
      routes: routes(file, raw.webSocketApi.routes, 'webSocketApi'),
      manageConnections: strings(file, raw.webSocketApi.manageConnections, 'webSocketApi.manageConnections'),
    } : undefined,
  };
  const named = new Set<string>([
    ...tables.flatMap((t) => [...t.readWrite, ...t.read]),
    ...(app.httpApi?.routes ?? []).map((r) => r.function),
    ...(app.webSocketApi?.routes ?? []).map((r) => r.function),
    ...(app.webSocketApi?.manageConnections ?? []),
  ]);
  for (const n of named) if (!functions.includes(n)) fail(file, `names function ${n}, which the manifest does not list: build it, or remove it from the app`);
  const routed = new Set([...(app.httpApi?.routes ?? []), ...(app.webSocketApi?.routes ?? [])].map((r) => r.function));
  for (const f of functions) if (!routed.has(f)) console.error(`cdk app: warning: ${f} is in the manifest but no route of ${file} calls it`);
  return app;
}
