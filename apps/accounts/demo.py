"""Demo users. accounts makes the superuser and a plain worker; each app makes the demo users
of its own roles with :func:`demo_user` in its ``demo_load``. All are printed by load_demo."""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings

from apps.core.models import Organization, Town

from .models import User
from .services import user_role_add

DEMO_PASSWORD = "union-demo-2024"


def _on_real_site() -> bool:
    """load_demo --allow-production on a site with DEBUG off: no known passwords, no admin."""
    return not settings.DEBUG and not getattr(settings, "DEMO_ALLOWED", False)


def demo_user(stdout, username: str, real_name: str, *, role: str | None = None, employer: str = "", town="昭阳街道"):
    """Get or create one demo user (with the demo password, or a random one on a real site)."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "real_name": real_name,
            "email": f"{username}@example.com",
            "employer": Organization.objects.filter(name=employer).first() if employer else None,
            "town": Town.objects.filter(name=town).first(),
        },
    )
    if created:
        password = secrets.token_urlsafe(12) if _on_real_site() else DEMO_PASSWORD
        user.set_password(password)
        user.save()
        if password != DEMO_PASSWORD:
            stdout.write(f"    {username} 的随机密码：{password}")
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    if role:
        user_role_add(user=user, role=role)
    stdout.write(f"    {username:<10} {real_name:<6} {role or '职工'}")
    return user


def load(stdout) -> None:
    stdout.write(f"  演示账号（密码均为 {DEMO_PASSWORD}）：")
    if _on_real_site():
        stdout.write("    （正式站点：不创建 admin 超级管理员，演示账号使用随机密码）")
    else:
        admin = demo_user(stdout, "admin", "系统管理员", employer="兴化市总工会")
        if not admin.is_superuser:
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
    demo_user(stdout, "worker", "刘师傅", employer="兴化市城市管理局环卫处")
