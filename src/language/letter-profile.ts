/** How many letters a text has and how many of them are Latin script. */
export interface LetterProfile {
  letters: number;
  latinLetters: number;
}

export function letterProfile(text: string): LetterProfile {
  return {
    letters: text.match(/\p{L}/gu)?.length ?? 0,
    latinLetters: text.match(/\p{Script=Latin}/gu)?.length ?? 0,
  };
}

/** True when at least half of the letters are Latin script (false for a text without letters). */
export function isMostlyLatin(profile: LetterProfile): boolean {
  return profile.letters > 0 && profile.latinLetters * 2 >= profile.letters;
}
