from django.urls import URLPattern

app_name = "readinglist"

urlpatterns: list[URLPattern] = []
