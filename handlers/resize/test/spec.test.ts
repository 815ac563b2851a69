import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../../../shared/contract/describe-issue.ts';
import { resizeHandler } from '../index.ts';
import { DEFAULT_MAX_INPUT_BYTES, DEFAULT_TIMEOUT_SECONDS, SHARP_PIXEL_LIMIT, resizeSpec } from '../spec.ts';

function issuesOf(config: unknown) {
  const result = resizeSpec.safeParse(config);
  if (result.success) throw new Error('expected the config to be rejected');
  return result.error.issues;
}

/** The messages users see, as the pipeline loader renders them. */
function messagesOf(config: unknown): string[] {
  return describeIssues(issuesOf(config), config, resizeSpec).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('resizeSpec', () => {
  it('applies the defaults', () => {
    expect(resizeSpec.parse({ variants: [{ name: 'thumb', width: 200 }] })).toEqual({
      variants: [{ name: 'thumb', width: 200, fit: 'cover', position: 'centre', format: 'source', enlarge: false, progressive: true, mozjpeg: false }],
      maxInputBytes: DEFAULT_MAX_INPUT_BYTES,
      animation: 'first',
      keepMetadata: false,
      timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    });
    expect(SHARP_PIXEL_LIMIT).toBe(268_402_689);
    expect(DEFAULT_MAX_INPUT_BYTES).toBe(50 * 1024 * 1024);
    expect(DEFAULT_TIMEOUT_SECONDS).toBe(30);
  });

  it('accepts every option', () => {
    const config = {
      variants: [
        { name: 'thumb', width: 200, height: 200, fit: 'cover', position: 'attention', format: 'webp', quality: 75, enlarge: true },
        { name: 'box_2', width: 400, height: 300, fit: 'contain', position: 'left top', format: 'jpeg', background: '#f0f0f0', progressive: false, mozjpeg: true },
        { name: 'anim', width: 100, format: 'gif' },
      ],
      limitInputPixels: 100_000_000,
      maxInputBytes: 1024,
      cacheControl: 'public, max-age=86400',
      animation: 'all',
      keepMetadata: true,
      timeoutSeconds: 5,
    };
    expect(resizeSpec.parse(config)).toMatchObject(config);
  });

  it('rejects unknown keys, at the top and in a variant', () => {
    const issues = issuesOf({ variants: [{ name: 'a', widht: 100 }], limitInputPixel: 5 });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'unrecognized_keys', path: ['variants', 0], keys: ['widht'] }),
        expect.objectContaining({ code: 'unrecognized_keys', path: [], keys: ['limitInputPixel'] }),
      ]),
    );
    expect(messagesOf({ variants: [{ name: 'a', widht: 100 }] })).toEqual([expect.stringMatching(/^variants\.0\.widht: unknown key "widht" \(did you mean "width"\?\)/)]);
  });

  it.each([
    [{ width: 'spoons' }, 'width', /found "spoons" \(string\)/],
    [{ width: 0 }, 'width', /found 0 \(number\)/],
    [{ width: 1.5 }, 'width', /integer/],
    [{ height: 16385 }, 'height', /<= 16384/],
    [{ quality: 101 }, 'quality', /<= 100/],
    [{ fit: 'crop' }, 'fit', /one of "cover", "contain", "fill", "inside", "outside"/],
    [{ format: 'bmp' }, 'format', /one of "jpeg", "png", "webp", "avif", "gif", "source"/],
    [{ progressive: 'yes' }, 'progressive', /boolean/],
    [{ mozjpeg: 1 }, 'mozjpeg', /boolean/],
    [{ position: 'middle' }, 'position', /"attention"/],
    [{ enlarge: 'yes' }, 'enlarge', /boolean/],
    [{ background: 'notacolour' }, 'background', /background: expected a colour sharp understands .*, found "notacolour"$/],
  ])('rejects %o with a message naming the field and the value', (bad, field, message) => {
    const config = { variants: [{ name: 'v', ...bad }] };
    expect(issuesOf(config).map((issue) => issue.path)).toEqual([['variants', 0, field]]);
    expect(messagesOf(config)).toEqual([expect.stringMatching(message)]);
  });

  it.each(['Thumb', 'a/b', '-x', '', 'thumb large'])('rejects the variant name %j (it names output keys)', (name) => {
    const config = { variants: [{ name, width: 10 }] };
    expect(issuesOf(config).map((issue) => issue.path)).toEqual([['variants', 0, 'name']]);
    if (name !== '') expect(messagesOf(config)[0]).toContain('expected a lowercase name: letters a-z, digits');
  });

  it('accepts a background in any form sharp understands', () => {
    for (const background of ['white', '#fff', '#ffffff80', 'rgb(10, 20, 30)', 'rgba(0,0,0,0)', 'hsl(120, 50%, 50%)']) {
      expect(resizeSpec.safeParse({ variants: [{ name: 'v', background }] }).success, background).toBe(true);
    }
  });

  it.each([
    [{ animation: 'every' }, 'animation', /one of "first", "all"/],
    [{ keepMetadata: 'exif' }, 'keepMetadata', /boolean/],
    [{ timeoutSeconds: 0 }, 'timeoutSeconds', />= 1/],
    [{ timeoutSeconds: 900 }, 'timeoutSeconds', /<= 300/],
    [{ timeoutSeconds: 2.5 }, 'timeoutSeconds', /integer/],
  ])('rejects the step option %o', (bad, field, message) => {
    const config = { variants: [{ name: 'v' }], ...bad };
    expect(issuesOf(config).map((issue) => issue.path)).toEqual([[field]]);
    expect(messagesOf(config)).toEqual([expect.stringMatching(message)]);
  });

  it('rejects a missing or empty list of variants', () => {
    expect(issuesOf({}).map((issue) => issue.path)).toEqual([['variants']]);
    expect(messagesOf({})).toEqual(['variants: missing; expected a list']);
    expect(messagesOf({ variants: [] })).toEqual(['variants: expected at least 1 item, found a list of 0 items']);
  });

  it('names a duplicate variant name and where it was first used', () => {
    const issues = issuesOf({ variants: [{ name: 'thumb' }, { name: 'large' }, { name: 'thumb' }] });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual(['variants', 2, 'name']);
    expect(issues[0]?.message).toBe('variant name "thumb" is already used by variants[0]; names must be unique because they name the output objects');
  });

  it('rejects a smart-crop strategy without fit: cover, which sharp would silently ignore', () => {
    const issues = issuesOf({ variants: [{ name: 'v', width: 10, height: 10, fit: 'contain', position: 'entropy' }] });
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['variants', 0, 'position'], 'position "entropy" is a smart-crop strategy and only applies to fit "cover", but fit is "contain"'],
    ]);
  });

  it('derives a JSON Schema with a description and the defaults on every option', () => {
    const schema = z.toJSONSchema(resizeSpec, { io: 'input' }) as {
      properties: Record<string, { description?: string; default?: unknown; items?: { properties: Record<string, { description?: string; default?: unknown }> } }>;
      additionalProperties: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    const variant = schema.properties.variants?.items?.properties ?? {};
    for (const [key, property] of [...Object.entries(schema.properties), ...Object.entries(variant)]) {
      expect(property.description, key).toMatch(/\w{3,}/);
    }
    expect(variant.fit?.default).toBe('cover');
    expect(variant.format?.default).toBe('source');
    // No fixed default: it follows from the function's memory, and the description says how.
    expect(schema.properties.limitInputPixels?.default).toBeUndefined();
    expect(schema.properties.limitInputPixels?.description).toContain("at most sharp's own limit, 268402689");
    expect([schema.properties.animation?.default, schema.properties.keepMetadata?.default, schema.properties.timeoutSeconds?.default]).toEqual(['first', false, 30]);
    expect([variant.progressive?.default, variant.mozjpeg?.default]).toEqual([true, false]);
  });

  it('accepts the examples in the README', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => parseYaml(match[1] ?? '') as { steps: Array<Record<string, unknown>> });
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      // By the handler's registered name, so a fork (`sluice fork resize --as NAME`) checks its own README's steps.
      for (const step of block.steps) expect(() => resizeSpec.parse(step[resizeHandler.name])).not.toThrow();
    }
  });
});

describe('resizeSpec reports every problem at once', () => {
  it('reports a duplicate name and a smart crop without cover alongside other mistakes', () => {
    const issues = issuesOf({ variants: [{ name: 'a', width: 'wide' }, { name: 'a', fit: 'inside', position: 'attention', quality: 0 }] });
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual(['variants.0.width', 'variants.1.name', 'variants.1.position', 'variants.1.quality']);
  });
});
