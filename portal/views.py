from django.http import HttpResponse


def home(request):
    return HttpResponse("")


def healthz(request):
    return HttpResponse("ok")


def robots_txt(request):
    return HttpResponse("")
