from django.http import HttpResponse


def partnership_list(request):
    return HttpResponse("")


def partnership_detail(request, slug):
    return HttpResponse("")


def region_detail(request, slug):
    return HttpResponse("")


def agreement_list(request):
    return HttpResponse("")


def agreement_detail(request, pk):
    return HttpResponse("")
