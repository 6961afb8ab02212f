'use strict';
// Helpers for google.type.Money ({ currency_code, units, nanos }, units a
// decimal string) and funding report rows. Exact: no floating point.

/** The exact amount as a decimal string: "5374038000", "-1.5", "0.000000001". */
function moneyToString(money) {
  const units = BigInt(money.units || 0);
  const nanos = BigInt(money.nanos || 0);
  const negative = units < 0n || nanos < 0n;
  const abs = (v) => (v < 0n ? -v : v);
  let text = abs(units).toString();
  if (nanos !== 0n) text += '.' + abs(nanos).toString().padStart(9, '0').replace(/0+$/, '');
  return (negative ? '-' : '') + text;
}

/** "USD 5,374,038,000" (fractions shown only when there are any). */
function formatMoney(money) {
  const [whole, fraction] = moneyToString(money).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${money.currency_code} ${grouped}${fraction ? '.' + fraction.padEnd(2, '0') : ''}`;
}

/** A funding report row's keys as one label: "EPA + CONAGUA", "Section 1 / Mexico". */
function rowLabel(row) {
  if (row.other) return 'Other';
  return row.keys.map((k) => k.label || k.value || '(none)').join(' / ');
}

module.exports = { moneyToString, formatMoney, rowLabel };
