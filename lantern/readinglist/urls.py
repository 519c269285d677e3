from django.urls import path

from lantern.readinglist import views

app_name = "readinglist"

urlpatterns = [
    path("", views.reading_list, name="list"),
    path("add/", views.add, name="add"),
    path("remove/", views.remove, name="remove"),
    path("move/", views.move, name="move"),
    path("clear/", views.clear, name="clear"),
    path("export.<str:fmt>", views.export, name="export"),
    path("shared/", views.shared, name="shared"),
    path("shared/use/", views.use, name="use"),
    path("shared/export.<str:fmt>", views.shared_export, name="shared-export"),
]
