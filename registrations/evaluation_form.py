"""The evaluation form: one field per question of the event, and the choice to show one's name.

Questions are data (`EvaluationQuestion`), so the form builds its fields from them: a mark is
a row of ten radio buttons, yes/no two, themes a list of boxes to tick, an open question a
text box. Every question may be left empty.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.evaluation import Answer
from registrations.models import EvaluationAnswer, EvaluationQuestion, QuestionKind

MARKS = [(mark, str(mark)) for mark in range(1, 11)]
CHECK = {"class": "form-check-input"}


def field_name(question: EvaluationQuestion) -> str:
    return f"vraag_{question.pk}"


def question_field(question: EvaluationQuestion, session_title: str) -> forms.Field:
    """Return the form field that asks one question, labelled in the reader's language."""
    label = _(question.text)  # a default question is in the catalogue; staff's own text is not
    if question.kind == QuestionKind.SESSION_MARK and session_title:
        label = f"{label} ({session_title})"
    if question.is_mark:
        return forms.TypedChoiceField(
            label=label,
            choices=MARKS,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs=CHECK),
            help_text=_("1 is heel slecht, 10 is uitstekend."),
        )
    if question.kind == QuestionKind.YES_NO:
        return forms.TypedChoiceField(
            label=label,
            choices=[("ja", _("Ja")), ("nee", _("Nee"))],
            coerce=lambda value: value == "ja",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs=CHECK),
        )
    if question.kind == QuestionKind.THEMES:
        return forms.MultipleChoiceField(
            label=label,
            choices=[(theme, _(theme)) for theme in question.choice_list()],
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs=CHECK),
        )
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


def initial_value(question: EvaluationQuestion, answer: EvaluationAnswer):
    if question.is_mark:
        return answer.mark
    if question.kind == QuestionKind.YES_NO:
        return None if answer.yes_no is None else ("ja" if answer.yes_no else "nee")
    if question.kind == QuestionKind.THEMES:
        return answer.themes
    return answer.text


class EvaluationForm(forms.Form):
    show_name = forms.BooleanField(
        label=gettext_lazy("Mijn naam mag bij mijn opmerkingen staan."),
        help_text=gettext_lazy("Zonder vinkje ziet Atrivé uw opmerkingen zonder uw naam."),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECK),
    )

    def __init__(
        self,
        *args,
        questions: list[EvaluationQuestion],
        session_title: str = "",
        answers: dict[int, EvaluationAnswer] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        fields = {field_name(q): question_field(q, session_title) for q in questions}
        self.fields = {**fields, "show_name": self.fields["show_name"]}
        for question in questions:
            if answers and question.pk in answers:
                self.initial[field_name(question)] = initial_value(question, answers[question.pk])
            self.fields[field_name(question)].kind = question.kind

    def answers(self) -> dict[int, Answer]:
        """Return the validated answers by question id, leaving out questions left empty."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value in (None, "", []):
                continue
            if question.is_mark:
                result[question.pk] = Answer(mark=value)
            elif question.kind == QuestionKind.YES_NO:
                result[question.pk] = Answer(yes_no=value)
            elif question.kind == QuestionKind.THEMES:
                result[question.pk] = Answer(themes=tuple(value))
            else:
                result[question.pk] = Answer(text=value.strip())
        return result
