/** What a secret is replaced with in anything printed, logged, counted or dead-lettered. */
export const REDACTED = '***';

/** Query parameters that carry credentials (`?password=`, `&access_token=`, `?api_key=`...). */
const SECRET_PARAMETER =
  /([?&;](?:[\w.-]*(?:password|passwd|pwd|secret|token|api[-_]?key|apikey|auth|credentials?|signature|sig))=)[^&;\s"'<>#]*/gi;
/**
 * User info of a URL (`scheme://user:password@`): up to the last `@` of the token, so a password
 * holding `@`, `#` or `:` is hidden whole even where the URL itself does not parse.
 */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s"'<>/]*@/gi;

/**
 * Hides credentials wherever they sit in free text: the user info of every URL and secret-looking
 * query parameters. For error messages, log lines and DLQ reasons that may quote a URL.
 */
export function redactText(text: string): string {
  return text.replace(URL_USER_INFO, `$1${REDACTED}@`).replace(SECRET_PARAMETER, `$1${REDACTED}`);
}

/** The same for one URL (a setting's value): `redis://:s3cr#t@host:6379` -> `redis://***@host:6379`. */
export function redactUrl(url: string): string {
  return redactText(url);
}

/** Settings whose whole value is a secret (their names say so); their values are never shown. */
export function isSecretSetting(name: string): boolean {
  return /PASSWORD|SECRET|TOKEN|USER_INFO|CREDENTIAL|API_KEY/i.test(name);
}

/** How a setting's value may appear in a message: nothing for a secret, else with URL secrets hidden. */
export function shownSettingValue(name: string, value: string): string {
  return isSecretSetting(name) ? REDACTED : redactText(value);
}
