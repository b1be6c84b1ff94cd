import { Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ManifestError, ManifestFunction } from './manifest';

export interface FunctionsStackProps extends StackProps {
  readonly functions: ManifestFunction[];
}

/** The architecture Lambda needs for the machine build-lambda verified. */
export function architectureOf(f: ManifestFunction): lambda.Architecture {
  switch (f.arch) {
    case 'aarch64': return lambda.Architecture.ARM_64;
    case 'x86_64': return lambda.Architecture.X86_64;
    default: throw new ManifestError(`${f.name}: arch "${f.arch}" is not one Lambda runs (aarch64 or x86_64)`);
  }
}

/** One Lambda function per manifest entry; the construct id is the function's name. */
export class FunctionsStack extends Stack {
  readonly functions: Record<string, lambda.Function> = {};

  constructor(scope: Construct, id: string, props: FunctionsStackProps) {
    super(scope, id, props);
    for (const f of props.functions) {
      this.functions[f.name] = new lambda.Function(this, f.name, {
        runtime: lambda.Runtime.PROVIDED_AL2023,
        architecture: architectureOf(f),
        handler: 'bootstrap',
        // The reproducible zip as is (a .zip file is uploaded, not re-zipped): its asset hash
        // follows its bytes, so an unchanged function is not redeployed.
        code: lambda.Code.fromAsset(f.zip),
        description: `${f.name} (build-lambda, zip sha256 ${f.zipSha256.slice(0, 12)})`,
      });
    }
  }
}
