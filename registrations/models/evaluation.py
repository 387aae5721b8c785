"""The evaluation after a lab: its settings and questions per event, one answer per link.

Questions are data: each event gets the default questions the first time its evaluation is
needed (`registrations.evaluation.evaluation_for`), and staff change them in the admin until
the first answer arrives. Every board member invited gets an `EvaluationResponse`: a secret
link (lookup + secret, like a manage link) and, once they answer, one `EvaluationAnswer` per
question. Anonymising keeps marks, yes/no and themes, and empties the open answers.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registrations.models.signups import Attendee, ManageLink
from sessions.models import Event, ThemeSession

# Answers can be changed for this many days after the mail, unless staff set a closing date.
DEFAULT_OPEN_DAYS = 14


class QuestionKind(models.TextChoices):
    MARK = "mark", _("cijfer (1–10)")
    SESSION_MARK = "session_mark", _("cijfer (1–10) voor de eigen themasessie")
    TEXT = "text", _("open vraag")
    YES_NO = "yes_no", _("ja of nee")
    THEMES = "themes", _("thema's aankruisen")


class Evaluation(models.Model):
    """When the evaluation of one event goes out and until when it can be answered."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("bijeenkomst")
    )
    is_active = models.BooleanField(
        _("evaluatie versturen"),
        default=True,
        help_text=_("Uit: deze bijeenkomst krijgt geen evaluatie."),
    )
    send_after_days = models.PositiveSmallIntegerField(
        _("versturen na (dagen)"),
        default=1,
        help_text=_("Zoveel dagen na de bijeenkomst gaat de evaluatie uit; 1 is de dag erna."),
    )
    closes_on = models.DateField(
        _("invullen kan tot en met"),
        null=True,
        blank=True,
        help_text=_("Leeg: twee weken na het versturen."),
    )

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-event__date", "-pk"]

    def __str__(self) -> str:
        return str(self.event)

    @property
    def send_on(self) -> datetime.date:
        return self.event.date + datetime.timedelta(days=self.send_after_days)

    @property
    def closing_date(self) -> datetime.date:
        """The last day answers can be given or changed."""
        return self.closes_on or self.send_on + datetime.timedelta(days=DEFAULT_OPEN_DAYS)

    def is_open(self, today: datetime.date) -> bool:
        return today <= self.closing_date

    def is_due(self, today: datetime.date) -> bool:
        """Tell whether the mails go out today: active, sending day reached, not closed."""
        return self.is_active and self.send_on <= today <= self.closing_date


class EvaluationQuestion(models.Model):
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("evaluatie"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    kind = models.CharField(_("soort"), max_length=20, choices=QuestionKind.choices)
    # Stored in Dutch; a default question's text is translated when shown (it is in the
    # catalogue), a text staff wrote is shown as written.
    text = models.CharField(_("vraag"), max_length=300)
    choices = models.TextField(
        _("keuzes"),
        blank=True,
        help_text=_("Alleen bij thema's: één thema per regel."),
    )

    class Meta:
        verbose_name = _("evaluatievraag")
        verbose_name_plural = _("evaluatievragen")
        ordering = ["evaluation", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_mark(self) -> bool:
        return self.kind in (QuestionKind.MARK, QuestionKind.SESSION_MARK)

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class EvaluationResponseQuerySet(models.QuerySet):
    def answered(self) -> "EvaluationResponseQuerySet":
        return self.filter(answered_at__isnull=False)


class EvaluationResponse(ManageLink):
    """One board member's evaluation link and, once they answered, their answers."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("evaluatie"),
    )
    # Kept when the board member's row goes; the marks stay.
    attendee = models.OneToOneField(
        Attendee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation_response",
        verbose_name=_("deelnemer"),
    )
    # The session they were in, so results per session stay after anonymising.
    session = models.ForeignKey(
        ThemeSession,
        on_delete=models.PROTECT,
        related_name="evaluation_responses",
        verbose_name=_("themasessie"),
    )
    show_name = models.BooleanField(_("naam mag bij de opmerkingen"), default=False)
    created_at = models.DateTimeField(_("uitgenodigd op"), auto_now_add=True)
    answered_at = models.DateTimeField(_("ingevuld op"), null=True, blank=True)
    changed_at = models.DateTimeField(_("gewijzigd op"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    objects = EvaluationResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluatieantwoord")
        verbose_name_plural = _("evaluatieantwoorden")
        ordering = ["evaluation", "pk"]

    def __str__(self) -> str:
        return f"{self.evaluation} – {self.attendee or _('onbekend')}"

    def get_absolute_url(self) -> str:
        return reverse("registrations:evaluation", kwargs={"token": self.token})


class EvaluationAnswer(models.Model):
    response = models.ForeignKey(
        EvaluationResponse,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("evaluatieantwoord"),
    )
    question = models.ForeignKey(
        EvaluationQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("vraag"),
    )
    mark = models.PositiveSmallIntegerField(_("cijfer"), null=True, blank=True)
    yes_no = models.BooleanField(_("ja of nee"), null=True, blank=True)
    text = models.TextField(_("antwoord"), blank=True, max_length=2000)
    themes = models.JSONField(_("thema's"), default=list, blank=True)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        ordering = ["response", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="evaluation_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(mark__isnull=True) | Q(mark__gte=1, mark__lte=10),
                name="evaluation_mark_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return str(self.question)
