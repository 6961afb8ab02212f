"""Helpers for google.type.Money amounts and funding report rows."""
from decimal import Decimal

_NANOS = Decimal(1_000_000_000)


def money_to_decimal(money):
    """The exact amount of a google.type.Money as a Decimal (never a float)."""
    return Decimal(money.units) + Decimal(money.nanos) / _NANOS


def format_money(money):
    """'USD 5,374,038,000' (cents shown only when there are any)."""
    amount = money_to_decimal(money)
    text = "{:,.2f}".format(amount) if amount != amount.to_integral_value() else "{:,}".format(int(amount))
    return "%s %s" % (money.currency_code, text)


def row_label(row):
    """A funding report row's keys as one label: 'EPA + CONAGUA', 'Section 1 / Mexico'."""
    if row.other:
        return "Other"
    return " / ".join(key.label or key.value or "(none)" for key in row.keys)
