import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigIssue } from '../../../shared/contract/errors.ts';
import { parsePipeline } from '../../../shared/engine/pipeline/load.ts';
import { repoRoot } from '../../support/paths.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';

const dir = join(repoRoot, 'test', 'fixtures', 'pipelines', 'broken');

/**
 * Broken pipeline files, one mistake each (37 has several), with every problem expected exactly:
 * `line:column: field.path: message`, in the order of the file. 38 and on are table-stream
 * triggers, table outputs, filters and steps that do not fit together.
 */
const cases: [file: string, problems: string[]][] = [
  ["01-unknown-top-key.yml", [
    "2:1: descripton: unknown key \"descripton\" (did you mean \"description\"?); expected one of name, description, on, steps, to, onError, lambda",
  ]],
  ["02-misspelt-trigger-key.yml", [
    "4:3: on.prefx: unknown key \"prefx\" (did you mean \"prefix\"?); expected one of bucket, events, prefix, suffix",
  ]],
  ["03-misspelt-output-key.yml", [
    "15:3: to.kye: unknown key \"kye\" (did you mean \"key\"?); expected one of bucket, key, rows",
  ]],
  ["04-misspelt-onerror-key.yml", [
    "17:3: onError.retry: unknown key \"retry\" (did you mean \"retries\"?); expected one of retries, quarantine",
  ]],
  ["05-misspelt-variant-key.yml", [
    "10:11: steps[0].resize.variants[0].widht: unknown key \"widht\" (did you mean \"width\"?); expected one of name, width, height, fit, position, format, quality, progressive, mozjpeg, enlarge, background",
  ]],
  ["06-unknown-handler.yml", [
    "7:5: steps[0].resise: unknown handler \"resise\" (did you mean \"resize\"?); known handlers: resize, aggregate, sanitize",
  ]],
  ["07-step-with-two-handlers.yml", [
    "7:5: steps[0]: a step names exactly one handler, as `- resize: { ... }`",
  ]],
  ["08-step-not-a-mapping.yml", [
    "7:5: steps[0]: expected a mapping, found \"resize\" (string)",
  ]],
  ["09-no-steps.yml", [
    "6:8: steps: expected at least 1 item, found a list of 0 items",
  ]],
  ["10-missing-name.yml", [
    "1:1: name: missing; expected a string",
  ]],
  ["11-bad-name.yml", [
    "1:7: name: expected a pipeline name: lowercase letters, digits and hyphens, starting with a letter, found \"Thumbs_Pipeline\" (string)",
  ]],
  ["12-missing-trigger.yml", [
    "1:1: on: missing; expected a mapping",
  ]],
  ["13-bad-bucket-name.yml", [
    "3:11: on.bucket: expected a bucket name: 3-63 lowercase letters, digits, dots or hyphens, found \"Uploads_Bucket\" (string)",
  ]],
  ["14-short-bucket-name.yml", [
    "14:11: to.bucket: expected a bucket name: 3-63 lowercase letters, digits, dots or hyphens, found \"md\" (string)",
  ]],
  ["15-unsupported-event.yml", [
    "4:21: on.events[1]: expected one of \"created\", \"removed\", found \"deleted\" (string)",
  ]],
  ["16-prefix-not-string.yml", [
    "4:11: on.prefix: expected a string, found 42 (number)",
  ]],
  ["17-empty-suffix.yml", [
    "5:12: on.suffix[0]: expected at least 1 character, found \"\" (string)",
  ]],
  ["18-unknown-placeholder.yml", [
    "15:8: to.key: unknown placeholder {size} in key template; expected one of {key}, {dir}, {name}, {stem}, {ext}, {srcExt}, {variant}, {date}, {pipeline}, {bucket}",
  ]],
  ["19-retries-negative.yml", [
    "17:12: onError.retries: expected a number >= 0, found -1 (number)",
  ]],
  ["20-retries-too-many.yml", [
    "17:12: onError.retries: expected a number <= 10, found 50 (number)",
  ]],
  ["21-retries-fraction.yml", [
    "17:12: onError.retries: expected an integer, found 1.5 (number)",
  ]],
  ["22-missing-quarantine.yml", [
    "17:3: onError.quarantine: missing; expected a mapping",
  ]],
  ["23-width-zero.yml", [
    "10:18: steps[0].resize.variants[0].width: expected a number >= 1, found 0 (number)",
  ]],
  ["24-width-text.yml", [
    "10:18: steps[0].resize.variants[0].width: expected a number, found \"wide\" (string)",
  ]],
  ["25-height-too-large.yml", [
    "11:19: steps[0].resize.variants[0].height: expected a number <= 16384, found 100000 (number)",
  ]],
  ["26-unknown-fit.yml", [
    "13:16: steps[0].resize.variants[0].fit: expected one of \"cover\", \"contain\", \"fill\", \"inside\", \"outside\", found \"crop\" (string)",
  ]],
  ["27-unknown-format.yml", [
    "12:19: steps[0].resize.variants[0].format: expected one of \"jpeg\", \"png\", \"webp\", \"avif\", \"gif\", \"source\", found \"bmp\" (string)",
  ]],
  ["28-quality-out-of-range.yml", [
    "13:20: steps[0].resize.variants[0].quality: expected a number <= 100, found 101 (number)",
  ]],
  ["29-duplicate-variant-names.yml", [
    "13:17: steps[0].resize.variants[1].name: variant name \"thumb\" is already used by variants[0]; names must be unique because they name the output objects",
  ]],
  ["30-no-variants.yml", [
    "8:17: steps[0].resize.variants: expected at least 1 item, found a list of 0 items",
  ]],
  ["31-variant-name-with-slash.yml", [
    "9:17: steps[0].resize.variants[0].name: expected a lowercase name: letters a-z, digits, \"-\" and \"_\", starting with a letter or digit, found \"thumbs/small\" (string)",
  ]],
  ["32-enlarge-not-boolean.yml", [
    "13:20: steps[0].resize.variants[0].enlarge: expected a boolean, found \"sometimes\" (string)",
  ]],
  ["33-duplicate-key.yml", [
    "15:3: invalid YAML: Map keys must be unique",
  ]],
  ["34-tab-indentation.yml", [
    "4:1: invalid YAML: Tabs are not allowed as indentation",
    "4:10: invalid YAML: Nested mappings are not allowed in compact mappings",
  ]],
  ["35-unclosed-flow.yml", [
    "6:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ]],
  ["36-not-a-mapping.yml", [
    "1:1: expected a pipeline mapping (name, on, steps, to, onError)",
  ]],
  ["37-many-problems.yml", [
    "4:3: on.prefx: unknown key \"prefx\" (did you mean \"prefix\"?); expected one of bucket, events, prefix, suffix",
    "10:18: steps[0].resize.variants[0].width: expected a number >= 1, found -5 (number)",
    "17:12: onError.retries: expected a number, found \"many\" (string)",
  ]],  ["38-table-missing-starting-position.yml", [
    "3:3: on.startingPosition: missing; expected one of \"TRIM_HORIZON\", \"LATEST\"",
  ]],
  ["39-table-unknown-starting-position.yml", [
    "4:21: on.startingPosition: expected one of \"TRIM_HORIZON\", \"LATEST\", found \"AT_TIMESTAMP\" (string)",
  ]],
  ["40-table-batch-size-zero.yml", [
    "5:14: on.batchSize: expected a number >= 1, found 0 (number)",
  ]],
  ["41-table-batch-size-too-big.yml", [
    "5:14: on.batchSize: expected a number <= 10000, found 20000 (number)",
  ]],
  ["42-table-batching-window-too-long.yml", [
    "5:19: on.batchingWindow: expected a number <= 300, found 301 (number)",
  ]],
  ["43-table-retries-below-minus-one.yml", [
    "5:12: on.retries: expected a number >= -1, found -2 (number)",
  ]],
  ["44-table-max-record-age-too-small.yml", [
    "5:17: on.maxRecordAge: expected a number >= 60, found 30 (number)",
  ]],
  ["45-table-bisect-not-boolean.yml", [
    "5:18: on.bisectOnError: expected a boolean, found \"yes please\" (string)",
  ]],
  ["46-table-misspelt-key.yml", [
    "5:3: on.batchsize: unknown key \"batchsize\" (did you mean \"batchSize\"?); expected one of table, startingPosition, batchSize, batchingWindow, filters, retries, maxRecordAge, bisectOnError",
  ]],
  ["47-bucket-and-table.yml", [
    "4:3: on.table: \"table\" cannot be used with \"bucket\": write either bucket, events, prefix, suffix or table, startingPosition, batchSize, batchingWindow, filters, retries, maxRecordAge, bisectOnError",
  ]],
  ["48-table-trigger-onerror-retries.yml", [
    "12:12: onError.retries: a table trigger retries whole batches: set `on.retries` (Lambda's MaximumRetryAttempts) instead of `onError.retries`",
  ]],
  ["49-table-trigger-source-placeholder.yml", [
    "11:8: to.key: a table trigger has no source object: {dir}, {stem} cannot be used in the key template",
  ]],
  ["50-removed-with-table-output.yml", [
    "4:11: on.events: a `removed` event deletes the objects the pipeline made from the removed object, which needs a bucket output (`to: { bucket, key }`)",
  ]],
  ["51-too-many-filters.yml", [
    "6:5: on.filters: expected at most 5 items, found a list of 6 items",
  ]],
  ["52-filter-bad-numeric-operator.yml", [
    "6:45: on.filters[0].dynamodb.SizeBytes[0].numeric[0]: expected one of \"=\", \"<\", \"<=\", \">\", \">=\", found \">>\" (string)",
  ]],
  ["53-filter-unknown-matcher.yml", [
    "6:59: on.filters[0].dynamodb.NewImage.status.S[0].contains: unknown matcher \"contains\" (did you mean \"prefix\"?); expected one of prefix, suffix, equals-ignore-case, anything-but, numeric, exists",
  ]],
  ["54-aggregate-after-resize.yml", [
    "7:5: steps[1].aggregate: aggregate takes table changes or rows, but the step before it (resize) gives objects",
  ]],
  ["55-aggregate-sum-without-field.yml", [
    "9:11: steps[0].aggregate.metrics[0].field: missing; op \"sum\" needs the numeric field it reads",
  ]],
  ["56-bad-table-name.yml", [
    "3:10: on.table: expected a table name: 3-255 letters, digits, \"_\", \"-\" or \".\", found \"ab\" (string)",
  ]],
  ["57-empty-trigger.yml", [
    "2:5: on: expected a mapping with one of \"bucket\" or \"table\", found a mapping with no keys",
  ]],
  ["58-aggregate-unknown-window.yml", [
    "7:46: steps[0].aggregate.groupBy[0].window: expected one of \"hour\", \"day\", \"month\", found \"week\" (string)",
  ]],
  ["59-filter-numeric-on-dynamodb-number.yml", [
    "6:47: on.filters[0].dynamodb.NewImage.amount.N[0]: numeric never matches a DynamoDB number: N values are strings in the record (\"42\"), and Lambda compares JSON numbers only, so this filter would drop every record; match the text (N: [\"42\"], { prefix: \"4\" }) or filter in a step",
  ]],
];

describe('broken pipeline files', () => {
  it('covers at least 30 files, and every file in the folder', async () => {
    const { readdir } = await import('node:fs/promises');
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect((await readdir(dir)).sort()).toEqual(cases.map(([file]) => file).sort());
  });

  it.each(cases)('%s', async (file, problems) => {
    const { pipeline, issues } = parsePipeline(await readFile(join(dir, file), 'utf8'), file, builtInHandlers);
    expect(pipeline).toBeUndefined();
    expect(issues.map(formatConfigIssue)).toEqual(problems.map((problem) => `${file}:${problem}`));
  });
});
