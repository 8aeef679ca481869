from django.urls import path

from . import views

app_name = "push"

urlpatterns = [
    path("config.json", views.config_json, name="config"),
    path("subscribe", views.subscribe, name="subscribe"),
    path("choice", views.choose, name="choice"),
    path("unsubscribe", views.unsubscribe, name="unsubscribe"),
]
