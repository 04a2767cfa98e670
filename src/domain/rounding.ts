/**
 * Integer division of bigints rounded half away from zero (0.5 → 1, −0.5 → −1).
 * Throws RangeError when den is zero.
 */
export function divRoundHalfAway(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError("Division by zero");
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  // bigint division truncates toward zero and the remainder takes the sign of num,
  // so comparing twice the absolute remainder with den decides the rounding.
  const quotient = num / den;
  const remainder = num % den;
  const twiceRemainder = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twiceRemainder < den) return quotient;
  return num < 0n ? quotient - 1n : quotient + 1n;
}

/** 10 to the power n as a bigint; n must be a non-negative integer. */
export function pow10(n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`Decimal places must be a non-negative integer, got ${n}`);
  }
  return 10n ** BigInt(n);
}

/** Absolute value of a bigint. */
export function absBigInt(v: bigint): bigint {
  return v < 0n ? -v : v;
}
