import { describe, expect, it } from 'vitest';
import { keyTemplateValues, renderKey } from '../../../shared/engine/pipeline/key-template.ts';

const base = { pipeline: 'thumbnails', sourceBucket: 'uploads', now: new Date('2026-03-04T05:06:07Z') };

describe('key templates', () => {
  it('splits the source key into placeholders', () => {
    expect(keyTemplateValues({ ...base, sourceKey: 'images/2024/café sign.png', ext: 'webp', variant: 'thumb' })).toEqual({
      key: 'images/2024/café sign.png',
      dir: 'images/2024',
      name: 'café sign.png',
      stem: 'café sign',
      ext: 'webp',
      srcExt: 'png',
      variant: 'thumb',
      date: '2026-03-04',
      pipeline: 'thumbnails',
      bucket: 'uploads',
    });
  });

  it('renders keys, collapsing the slash an empty {dir} leaves', () => {
    expect(renderKey('{dir}/{stem}/{variant}.{ext}', { ...base, sourceKey: 'images/a.b.jpg', ext: 'webp', variant: 'thumb' })).toBe('images/a.b/thumb.webp');
    expect(renderKey('{dir}/{stem}/{variant}.{ext}', { ...base, sourceKey: 'top.jpg', ext: 'jpg', variant: 'large' })).toBe('top/large.jpg');
    expect(renderKey('{date}/{key}', { ...base, sourceKey: 'x/y.csv' })).toBe('2026-03-04/x/y.csv');
    expect(renderKey('{stem}.{ext}', { ...base, sourceKey: 'README' })).toBe('README');
  });
});
