"""The evaluation of an event in the back office: when it goes out, until when it can be
answered, and its questions, which change only until the first answer arrives."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registrations.models import Evaluation, EvaluationQuestion
from sessions.admin_labels import LabelledTabularInline


def has_answers(evaluation: Evaluation | None) -> bool:
    return evaluation is not None and evaluation.responses.answered().exists()


class QuestionInline(LabelledTabularInline):
    model = EvaluationQuestion
    fields = ["order", "kind", "text", "choices"]
    extra = 0

    # Answers belong to the questions as they were asked: once one arrives they stay.
    def has_add_permission(self, request: HttpRequest, obj: Evaluation | None = None) -> bool:
        return super().has_add_permission(request, obj) and not has_answers(obj)

    def has_change_permission(self, request: HttpRequest, obj: Evaluation | None = None) -> bool:
        return super().has_change_permission(request, obj) and not has_answers(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Evaluation | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not has_answers(obj)


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["event", "is_active", "send_after_days", "closes_on", "results_link"]
    list_select_related = ["event"]
    fields = ["event", "is_active", "send_after_days", "closes_on"]
    readonly_fields = ["event"]
    inlines = [QuestionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made with its default questions from the event's evaluation page

    def has_delete_permission(self, request: HttpRequest, obj: Evaluation | None = None) -> bool:
        return False  # the answers hang on it

    @admin.display(description=_("resultaten"))
    def results_link(self, evaluation: Evaluation) -> str:
        url = reverse("admin:theme_sessions_event_evaluation", args=[evaluation.event_id])
        return format_html('<a href="{}">{}</a>', url, _("Resultaten"))
