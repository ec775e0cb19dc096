/**
 * Check digits that format-preserving masking keeps valid (`checksum`): the digits before
 * them are encrypted, and the check digits are computed again for the result, so a masked
 * card number still passes a Luhn check and a masked INSEE number its key [ours: as
 * format-preserving tools do; Immuta names the two schemes without saying more].
 */

/** A check-digit scheme over decimal digits: how many trailing digits it takes, and their value for the payload. */
export interface CheckDigits {
  readonly width: number;
  /** Whether the whole number (payload and check digits) is of this scheme's form. */
  readonly valid: (digits: string) => boolean;
  readonly compute: (payload: string) => string;
}

/** Luhn's check digit for `payload` (the digit that makes `payload + digit` pass). */
function luhnDigit(payload: string): string {
  let sum = 0;
  // From the right, the payload's last digit is doubled (it sits second from the right once the check digit follows).
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** The INSEE (French social security number) key: 97 − (the 13 digits mod 97), two digits. */
function inseeKey(payload: string): string {
  return String(97 - Number(BigInt(payload) % 97n)).padStart(2, "0");
}

export const CHECK_DIGITS: Readonly<Record<"LUHN" | "INSEE", CheckDigits>> = {
  LUHN: {
    width: 1,
    valid: (d) => /^\d{2,}$/.test(d) && luhnDigit(d.slice(0, -1)) === d.slice(-1),
    compute: luhnDigit,
  },
  INSEE: {
    width: 2,
    // 13 digits and their key; Corsica's `2A`/`2B` departments are not digits, so such a number is not of this form.
    valid: (d) => /^\d{15}$/.test(d) && inseeKey(d.slice(0, 13)) === d.slice(13),
    compute: inseeKey,
  },
};
