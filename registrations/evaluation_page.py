"""The page behind an evaluation link: the form, and the thank-you page after it.

One answer per link: sending the form again replaces the earlier answers, until the closing
date; after it the page says the evaluation is closed.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from registrations.error_summary import form_errors
from registrations.errors import RegistrationError
from registrations.evaluation import save_answers
from registrations.evaluation_form import EvaluationForm
from registrations.models import EvaluationResponse


def response_from_token(token: str) -> EvaluationResponse:
    """Return the evaluation link's row; 404 for an unknown, altered or ended link."""
    response = EvaluationResponse.from_token(
        token,
        EvaluationResponse.objects.select_related(
            "evaluation__event", "attendee", "session"
        ).filter(anonymised_at__isnull=True),
    )
    if response is None:
        raise Http404
    return response


def page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache  # the page shows the member's name and answers
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_form(request: HttpRequest, token: str) -> HttpResponse:
    """Show the evaluation (with earlier answers filled in) and store what is sent."""
    link = response_from_token(token)
    evaluation = link.evaluation
    is_open = evaluation.is_open(timezone.localdate())
    questions = list(evaluation.questions.all())
    answers = {answer.question_id: answer for answer in link.answers.all()}
    options = {"questions": questions, "session_title": link.session.title, "answers": answers}
    form = EvaluationForm(initial={"show_name": link.show_name}, **options)
    if request.method == "POST" and is_open:
        form = EvaluationForm(request.POST, **options)
        if form.is_valid():
            try:
                save_answers(
                    response=link, answers=form.answers(), show_name=form.cleaned_data["show_name"]
                )
            except RegistrationError as error:
                form.add_error(None, error.message)
            else:
                return redirect("registrations:evaluation_thanks", token=token)
    return page(
        request,
        "registrations/evaluation.html",
        {
            "link": link,
            "event": evaluation.event,
            "evaluation": evaluation,
            "is_open": is_open,
            "form": form,
            "error_summary": form_errors(form) if form.is_bound else [],
        },
    )


@never_cache
@require_safe
def evaluation_thanks(request: HttpRequest, token: str) -> HttpResponse:
    link = response_from_token(token)
    return page(
        request,
        "registrations/evaluation_thanks.html",
        {"link": link, "event": link.evaluation.event, "evaluation": link.evaluation},
    )
