#!/usr/bin/env node
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { FunctionsStack } from '../lib/functions-stack';
import { readApp } from '../lib/app-spec';
import { ManifestError, oneArch, readManifest } from '../lib/manifest';

// Which manifest: LAMBDA_MANIFEST, else the context value `manifest` (`-c manifest=PATH`, else
// cdk.json's), else ../target/lambda/manifest.json (this folder copied to a workspace root as cdk/).
// Relative paths are taken from the folder cdk runs in (the one holding cdk.json).
const app = new App();
try {
  const fromEnv = process.env.LAMBDA_MANIFEST;
  const manifest = path.resolve(fromEnv || app.node.tryGetContext('manifest') || '../target/lambda/manifest.json');
  const functions = oneArch(readManifest(manifest, fromEnv ? 'LAMBDA_MANIFEST' : 'context manifest'), app.node.tryGetContext('arch') ?? 'aarch64');
  // The app's tables and routes: LAMBDA_APP, else the context value `app` (cdk.json: ../examples/app.json).
  const appFile = process.env.LAMBDA_APP || app.node.tryGetContext('app');
  const spec = appFile ? readApp(path.resolve(appFile), functions.map((f) => f.name)) : undefined;
  new FunctionsStack(app, app.node.tryGetContext('stack') ?? 'RustLambdas', {
    // No env: an environment-agnostic stack, so `cdk synth` needs no AWS account or credentials.
    description: 'Rust functions built by build-lambda --zip, one per manifest.json entry, with the tables and APIs of app.json',
    // A build of several arches (--arch arm64,x86_64) lists a function once per arch; a Lambda function has
    // one: `-c arch=x86_64` picks the other (default aarch64, Graviton).
    functions,
    app: spec,
  });
  app.synth();
} catch (e) {
  if (!(e instanceof ManifestError)) throw e;
  console.error(`cdk app: ${e.message}`);
  process.exit(1);
}
