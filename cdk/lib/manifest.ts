import * as fs from 'fs';
import * as path from 'path';

/** One function of build-lambda's manifest.json, with its zip resolved to an absolute path. */
export interface ManifestFunction {
  readonly name: string;
  /** The ELF machine build-lambda verified: "aarch64" or "x86_64". */
  readonly arch: string;
  /** Absolute path of the reproducible zip (build-lambda --zip). */
  readonly zip: string;
  /** sha256 of the zip, as the build recorded it. */
  readonly zipSha256: string;
}

/** The manifest.json shape this app reads (docs/reference/manifest.schema.json); a newer one is refused. */
export const SCHEMA_VERSION = 1;

/** A one-line error for the user: the app prints its message, never a stack trace. */
export class ManifestError extends Error {}

/**
 * Reads <lambda dir>/manifest.json as build-lambda writes it (docs/reference/manifest.md): paths in it are
 * relative to the manifest's folder. Every function must have a zip: the app deploys the zip as is,
 * so its asset hash changes only when the code does.
 */
export function readManifest(file: string, setBy: string): ManifestFunction[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ManifestError(`no manifest at ${file} (${setBy}): build first (./jbang build-lambda@. --zip), or name one with LAMBDA_MANIFEST=PATH or -c manifest=PATH`);
  }
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`${file} is not JSON: ${(e as Error).message}`);
  }
  const version = doc?.schema_version;
  if (version !== undefined && !(Number.isInteger(version) && version >= 1)) {
    throw new ManifestError(`${file}: "schema_version" is ${JSON.stringify(version)}, not a whole number from 1`);
  }
  if (version !== undefined && version > SCHEMA_VERSION) {
    throw new ManifestError(`${file}: its schema_version is ${version}, this app reads ${SCHEMA_VERSION} (update the app)`);
  }
  if (!doc || !Array.isArray(doc.functions)) {
    throw new ManifestError(`${file} is not a build-lambda manifest (no "functions" array)`);
  }
  if (doc.functions.length === 0) {
    throw new ManifestError(`${file} lists no functions`);
  }
  const dir = path.dirname(file);
  return doc.functions.map((f: any) => {
    if (typeof f?.name !== 'string' || typeof f?.arch !== 'string') {
      throw new ManifestError(`${file}: an entry has no "name" or "arch"`);
    }
    if (!f.zip || typeof f.zip.path !== 'string') {
      throw new ManifestError(`${f.name} has no zip in ${file}: build with --zip`);
    }
    const zip = path.resolve(dir, f.zip.path);
    if (!fs.existsSync(zip)) {
      throw new ManifestError(`${f.name}: ${zip} is missing (the manifest is older than the folder): build again with --zip`);
    }
    return { name: f.name, arch: f.arch, zip, zipSha256: String(f.zip.sha256) };
  });
}

/** Each function once: where the manifest lists a name for several arches, the entry for ARCH ("aarch64"/"arm64" or "x86_64"). */
export function oneArch(fs: ManifestFunction[], arch: string): ManifestFunction[] {
  const want = arch === 'arm64' ? 'aarch64' : arch;
  const count = new Map<string, number>();
  for (const f of fs) count.set(f.name, (count.get(f.name) ?? 0) + 1);
  const picked = fs.filter((f) => count.get(f.name) === 1 || f.arch === want);
  for (const name of count.keys()) {
    const n = picked.filter((f) => f.name === name).length;
    if (n === 0) throw new ManifestError(`${name} is not built for ${arch} (context arch): build it with --arch, or pick another arch`);
    if (n > 1) throw new ManifestError(`${name} is listed ${n} times for ${want}: build again into a clean lambda folder (--clean)`);
  }
  return picked;
}
