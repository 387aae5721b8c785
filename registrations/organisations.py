"""One organisation, one bill: merging two organisations that are one, and finding likely
doubles among an event's sign-ups ("Bewonersraad Houten" and "Bewonersraad Houten e.o.").

A merged organisation is kept as a spelling of the one it went into: a later sign-up that
types that name is booked on the kept organisation (`find_or_create_organisation`), and the
name is no longer suggested on the form.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from itertools import combinations

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.errors import RegistrationError
from registrations.invoices import recompute_invoice, recount_payments
from registrations.locking import lock_events
from registrations.models import (
    Attendee,
    Invoice,
    Organisation,
    Payment,
    Registration,
    Status,
    normalise_name,
    person_key,
)
from registrations.pricing import ZERO
from registrations.text import single_line
from sessions import page_cache
from sessions.models import Event

# Endings that do not make another organisation: "e.o." and "en omstreken" (and the
# surrounding places), "u.a." (a cooperative's limited liability). Compared without dots.
SUFFIXES = (("en", "omstreken"), ("e", "o"), ("eo",), ("u", "a"), ("ua",))
ARTICLES = frozenset({"de", "het", "t", "een"})
# One word may differ by a typo: at least this long, and at least this alike (difflib's ratio).
TYPO_MIN_LENGTH = 4
TYPO_MIN_RATIO = 0.8


def find_or_create_organisation(name: str) -> tuple[Organisation, bool]:
    """Return the organisation with this name, ignoring case and spacing, and whether it is
    new: nobody of it has signed up for the lab whose lock the caller holds.

    A name that was merged into another organisation books on that one. Two sign-ups for
    different labs that bring the same new name at once both get the one row the database
    keeps (sign-ups for one lab wait for each other on its lock).
    """
    name = single_line(name)
    key = normalise_name(name)
    known = Organisation.objects.select_related("merged_into").filter(name_key=key).first()
    if known is not None:
        return known.merged_into or known, False
    # No savepoint needed: a name made meanwhile by another sign-up is taken, not refused.
    (organisation,) = Organisation.objects.bulk_create(
        [Organisation(name=name, name_key=key)],
        update_conflicts=True,
        unique_fields=["name_key"],
        update_fields=["name_key"],
    )
    page_cache.raise_after_commit(["organisations"])  # a name more to suggest
    return organisation, True


@dataclass(frozen=True)
class MergedAmount:
    """What the two organisations owed for one event before the merge, and the kept one after."""

    event: Event
    kept_before: Decimal
    merged_before: Decimal
    after: Decimal


def merge_organisations(*, keep: Organisation, merge: Organisation) -> list[MergedAmount]:
    """Move every sign-up and board member of `merge` to `keep`, one invoice per event.

    The events concerned are locked lowest id first. Per event the invoices become one: what
    was paid on either counts, and the amount is recomputed for all board members together.
    Refused when a person would then be signed up twice for an event. Returns the amounts per
    event, before and after.

    Merging the same two again is allowed: it moves what a sign-up under the old spelling, at
    an event that organisation had no invoice for yet, booked while the merge ran.
    """
    if keep.pk == merge.pk:
        raise RegistrationError(
            _("Kies een andere organisatie dan deze."), code="same", field="organisation"
        )
    with transaction.atomic():
        event_ids = list(
            Invoice.objects.filter(organisation=merge).values_list("event_id", flat=True)
        )
        lock_events(event_ids)
        keep, merge = fresh_organisations(keep, merge)
        check_nobody_twice(keep=keep, merge=merge)
        now = timezone.now()
        amounts = [
            merge_invoices(keep=keep, merge=invoice, now=now)
            for invoice in Invoice.objects.select_for_update()
            .filter(organisation=merge)
            .select_related("event")
            .order_by("event_id")
        ]
        Organisation.objects.filter(merged_into=merge).update(merged_into=keep, updated_at=now)
        merge.merged_into = keep
        merge.hidden_from_suggestions = True
        merge.save(update_fields=["merged_into", "hidden_from_suggestions", "updated_at"])
    return amounts


def fresh_organisations(keep: Organisation, merge: Organisation) -> tuple[Organisation, ...]:
    """Lock and reread both organisations; refuse a merge into one that was merged itself."""
    rows = Organisation.objects.select_for_update().in_bulk([keep.pk, merge.pk])
    keep, merge = rows[keep.pk], rows[merge.pk]
    if keep.merged_into_id is not None:
        raise RegistrationError(
            _("%(name)s is zelf al samengevoegd met een andere organisatie.") % {"name": keep.name},
            code="merged",
        )
    if merge.merged_into_id not in (None, keep.pk):
        raise RegistrationError(
            _("%(name)s is al samengevoegd met een andere organisatie.") % {"name": merge.name},
            code="merged",
            field="organisation",
        )
    return keep, merge


def check_nobody_twice(*, keep: Organisation, merge: Organisation) -> None:
    """Refuse when a person of `merge` is also signed up for the same event with `keep`."""
    doubles = list(
        Attendee.objects.active()
        .filter(organisation=merge)
        .exclude(name_key="")
        .filter(
            Exists(
                Attendee.objects.active().filter(
                    organisation=keep, event=OuterRef("event"), name_key=OuterRef("name_key")
                )
            )
        )
        .select_related("event")
        .order_by("event__date", "name")[:3]
    )
    if doubles:
        people = ", ".join(f"{person.name} ({person.event})" for person in doubles)
        raise RegistrationError(
            _(
                "Samenvoegen zou deze personen twee keer aanmelden: %(people)s. Meld eerst bij "
                "een van beide organisaties af wie dubbel staat, en voeg dan samen."
            )
            % {"people": people},
            code="person_taken",
        )


def merge_invoices(*, keep: Organisation, merge: Invoice, now: datetime.datetime) -> MergedAmount:
    """Book one event's sign-ups of the merged organisation on the kept one's account.

    Payments follow the sign-ups. Documents already sent never change: an account that had
    some is marked to be credited and invoiced afresh by the next issue run
    (`registrations.issuing`), and the merged account, left owing nothing, is credited then.
    """
    kept = Invoice.objects.select_for_update().filter(event=merge.event, organisation=keep).first()
    kept_before = kept.amount_due if kept else ZERO
    merged_before = merge.amount_due
    if kept is None:  # the kept organisation had no sign-up here: the account simply moves
        merge.organisation = keep
        merge.needs_reissue = merge.documents.exists()
        merge.save(update_fields=["organisation", "needs_reissue", "updated_at"])
        kept = merge
    else:
        references = [ref for ref in (kept.reference, merge.reference) if ref]
        kept.reference = " / ".join(dict.fromkeys(references))[:50]
        for name in ("attention", "address", "customer_reference"):
            setattr(kept, name, getattr(kept, name) or getattr(merge, name))
        moved = Registration.objects.filter(invoice=merge).update(invoice=kept, updated_at=now)
        if moved and (kept.documents.exists() or merge.documents.exists()):
            kept.needs_reissue = True
        kept.save(
            update_fields=[
                "reference",
                "attention",
                "address",
                "customer_reference",
                "needs_reissue",
                "updated_at",
            ]
        )
        Payment.objects.filter(account=merge).update(account=kept)
        recount_payments(kept)
        if merge.documents.exists():
            recompute_invoice(recount_payments(merge))  # owes nothing now: credited when issued
        else:
            merge.delete()
    Registration.objects.filter(invoice=kept).exclude(organisation=keep).update(
        organisation=keep, updated_at=now
    )
    Attendee.objects.filter(registration__invoice=kept).exclude(organisation=keep).update(
        organisation=keep
    )
    recompute_invoice(kept)
    return MergedAmount(merge.event, kept_before, merged_before, kept.amount_due)


# Likely doubles --------------------------------------------------------------------------------


def event_organisations(event: Event) -> list[Organisation]:
    """Return the organisations with a sign-up still standing for the event (one query)."""
    return list(
        Organisation.objects.filter(
            registrations__event=event,
            registrations__status__in=[Status.CONFIRMED, Status.WAITING],
        )
        .distinct()
        .order_by("pk")
    )


def comparison_words(name: str) -> tuple[str, ...]:
    """Return the words of a name that tell organisations apart: no case, accents,
    punctuation, articles or endings such as "e.o."."""
    words = re.sub(r"[^\w\s]", " ", person_key(name)).split()
    trimmed = True
    while trimmed:
        trimmed = False
        for suffix in SUFFIXES:
            if len(words) > len(suffix) and tuple(words[-len(suffix) :]) == suffix:
                words = words[: -len(suffix)]
                trimmed = True
    return tuple(word for word in words if word not in ARTICLES)


def look_alike(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Tell whether two names (as `comparison_words`) are likely one organisation: the same
    letters, or one word apart by a small typo."""
    if "".join(first) == "".join(second):
        return True
    if len(first) != len(second):
        return False
    differing = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
    if len(differing) != 1:
        return False
    a, b = differing[0]
    return min(len(a), len(b)) >= TYPO_MIN_LENGTH and similar_words(a, b)


def likely_duplicates(
    organisations: Iterable[Organisation],
) -> list[tuple[Organisation, Organisation]]:
    """Return the pairs that are likely one organisation, the older of each pair first.

    Only names that could match are compared: those with the same letters, and those alike but
    for the word at one place, compared once per pair of distinct words there. So a lab with
    thousands of organisations costs about as much per name as one with dozens.
    """
    named = sorted(((o, comparison_words(o.name)) for o in organisations), key=lambda p: p[0].pk)
    same_letters: dict[str, list[int]] = defaultdict(list)
    # (place, the other words) -> the word at that place -> the names, by index in `named`
    one_word_apart: dict[tuple, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for index, (_organisation, words) in enumerate(named):
        same_letters["".join(words)].append(index)
        for place, word in enumerate(words):
            one_word_apart[(place, words[:place] + words[place + 1 :])][word].append(index)
    pairs = {pair for group in same_letters.values() for pair in combinations(group, 2)}
    for by_word in one_word_apart.values():
        typed = [
            word
            for word in by_word
            if len(word) >= TYPO_MIN_LENGTH and not any(char.isdigit() for char in word)
        ]
        for first, second in combinations(typed, 2):
            if similar_words(first, second):
                pairs.update(
                    (min(a, b), max(a, b)) for a in by_word[first] for b in by_word[second]
                )
    return [(named[older][0], named[newer][0]) for older, newer in sorted(pairs)]


def similar_words(first: str, second: str) -> bool:
    """Tell whether two words are one small typo apart (difflib's ratio, upper bounds first).

    Words with digits never are: "Complex 1021" and "Complex 1012" are two organisations.
    """
    if any(char.isdigit() for char in first + second):
        return False
    matcher = SequenceMatcher(None, first, second)
    return (
        matcher.real_quick_ratio() >= TYPO_MIN_RATIO
        and matcher.quick_ratio() >= TYPO_MIN_RATIO
        and matcher.ratio() >= TYPO_MIN_RATIO
    )
