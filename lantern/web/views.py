from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Lantern")


country_index = country_detail = entry_detail = teachers = lesson_plan = home
term_papers = about = home
