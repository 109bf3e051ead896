from django.urls import path

from shegong.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("security/", views.security_view, name="security"),
    path("security/release/", views.lockout_release_view, name="lockout_release"),
    path("", views.account_list_view, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:pk>/", views.account_edit, name="edit"),
    path("<int:pk>/reset-password/", views.account_reset_password, name="reset_password"),
    path("<int:pk>/reset-two-factor/", views.account_reset_two_factor, name="reset_two_factor"),
]
