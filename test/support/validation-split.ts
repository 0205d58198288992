import path from 'node:path';

// The dair-ai/emotion validation split kept in the repo as a test fixture (see its README for source
// and terms), so the tests need nothing beside the clone. EMOTION_DATA_DIR points at another copy.
export const VALIDATION_SPLIT_PATH = process.env.EMOTION_DATA_DIR
  ? path.join(process.env.EMOTION_DATA_DIR, 'val.txt')
  : path.resolve(__dirname, '..', 'fixtures', 'emotion', 'val.txt');
