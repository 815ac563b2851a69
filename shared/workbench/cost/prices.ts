import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssues } from '../../contract/describe-issue.ts';
import { YamlSource } from '../../engine/pipeline/yaml-source.ts';
import { ConfigError } from '../../contract/errors.ts';

/**
 * AWS Lambda's on-demand prices in US East (N. Virginia), as published on
 * https://aws.amazon.com/lambda/pricing/ (duration per GB-second: x86 $0.0000166667, Arm
 * $0.0000133334; $0.20 per million requests; the free tier of 1,000,000 requests and 400,000
 * GB-seconds a month, per account) and in
 * https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html (requests and
 * free tier). Duration gets cheaper past 6 billion (x86) or 7.5 billion (Arm) GB-seconds a month:
 * not modelled, far beyond what this estimate is for. Other regions and later prices: `--prices`.
 */
export const pricesSpec = z
  .strictObject({
    region: z.string().min(1).default('us-east-1').describe('Where these prices apply, for the printout.'),
    requestsPerMillion: z.number().nonnegative().default(0.2).describe('USD per million requests (invocations).'),
    gbSecond: z
      .strictObject({
        arm64: z.number().nonnegative().default(0.0000133334).describe('USD per GB-second on arm64 (Graviton).'),
        x86_64: z.number().nonnegative().default(0.0000166667).describe('USD per GB-second on x86_64.'),
      })
      .prefault({})
      .describe('Duration prices, by architecture.'),
    freeTier: z
      .strictObject({
        requests: z.int().nonnegative().default(1_000_000).describe('Free requests a month, per account.'),
        gbSeconds: z.number().nonnegative().default(400_000).describe('Free GB-seconds a month, per account.'),
      })
      .prefault({})
      .describe('What the account gets free every month, whatever the architecture: 0 and 0 to leave it out.'),
  })
  .describe('AWS Lambda prices for `sluice cost`; every field has the us-east-1 default.');

export type Prices = z.output<typeof pricesSpec>;

export const DEFAULT_PRICES: Prices = pricesSpec.parse({});

/** Prices from a YAML or JSON file (`--prices`), each problem reported as `file:line:column`. */
export function parsePrices(text: string, file: string): Prices {
  const source = new YamlSource(text, file);
  const syntax = source.syntaxIssues();
  if (syntax.length) throw new ConfigError(syntax);
  const data = source.toJS() ?? {};
  const result = pricesSpec.safeParse(data);
  if (!result.success) throw new ConfigError(source.locate(describeIssues(result.error.issues, data, pricesSpec)).sort((a, b) => a.line - b.line || a.column - b.column));
  return result.data;
}

export async function loadPrices(path: string, shown = path): Promise<Prices> {
  return parsePrices(await readFile(path, 'utf8'), shown);
}
