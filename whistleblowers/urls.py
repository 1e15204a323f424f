from django.urls import path

app_name = "whistleblowers"
urlpatterns: list = []
