from django.urls import path

from shegong.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.bulletin_list, name="bulletin_list"),
    path("issue/", views.bulletin_issue, name="bulletin_issue"),
    path("<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("<int:pk>/xlsx/", views.bulletin_xlsx, name="bulletin_xlsx"),
    path("<int:pk>/pdf/", views.bulletin_pdf, name="bulletin_pdf"),
    path("<int:pk>/docx/", views.bulletin_docx, name="bulletin_docx"),
]
