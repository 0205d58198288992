/** The committed default model (issue 4), relative to the package root. */
export const DEFAULT_MODEL_DIR = 'models/emotion-minilm-l3';
