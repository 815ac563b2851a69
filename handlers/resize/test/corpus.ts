import { corpus } from '../../../test/support/paths.ts';

/**
 * The EXIF orientation corpus lives in the steering folder beside the project and is read in
 * place, never copied in. CI has it too: a missing corpus fails these tests instead of skipping them.
 */
export const exifCorpusDir = corpus('images-jpeg-exif-orientation');
