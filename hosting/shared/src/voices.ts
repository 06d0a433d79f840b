/**
 * How the settings screen names each voice a caller may hear. The tenant
 * schema (CALL_VOICES in functions/src/domain/business/business.ts) decides
 * which exist; a unit test keeps the two lists the same.
 */
export const VOICE_NAMES: Record<string, string> = {
  "Polly.Amy": "Amy: British English, female (the default)",
  "Polly.Emma": "Emma: British English, female, softer",
  "Polly.Brian": "Brian: British English, male",
};
