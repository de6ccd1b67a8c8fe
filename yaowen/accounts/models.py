"""Accounts: the custom user model, creator profiles (号) and follows."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.core.models import TimeStampedModel


class User(AbstractUser):
    """Every account: readers, creators and staff; a creator also has a CreatorProfile."""

    nickname = models.CharField(_("昵称"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.nickname or self.username

    @property
    def public_name(self) -> str:
        return self.nickname or self.username


class CreatorProfile(TimeStampedModel):
    """A creator's public identity (号); its counters are kept by services, never by save()."""

    class AccountType(models.TextChoices):
        PERSONAL = "personal", _("个人")
        MEDIA = "media", _("媒体")
        ENTERPRISE = "enterprise", _("企业")
        GOVERNMENT = "government", _("政务")
        ORGANISATION = "organisation", _("其他组织")

    class Badge(models.TextChoices):
        NONE = "", _("无")
        INCENTIVE = "incentive", _("创作激励计划")
        VERIFIED = "verified", _("认证创作者")
        ORIGINAL = "original", _("优质原创作者")

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        SUSPENDED = "suspended", _("已暂停")

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="creator", verbose_name=_("用户")
    )
    display_name = models.CharField(_("名称"), max_length=30, unique=True)
    bio = models.CharField(_("简介"), max_length=120, blank=True)
    avatar = models.ImageField(_("头像"), upload_to="avatars/%Y/%m/", blank=True)
    account_type = models.CharField(
        _("账号类型"), max_length=16, choices=AccountType, default=AccountType.PERSONAL
    )
    field = models.ForeignKey(
        "newsroom.Channel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="creators",
        verbose_name=_("领域"),
    )
    badge = models.CharField(
        _("徽章"), max_length=16, choices=Badge, default=Badge.NONE, blank=True
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.ACTIVE)
    article_count = models.PositiveIntegerField(_("文章数"), default=0)
    follower_count = models.PositiveIntegerField(_("粉丝数"), default=0)

    class Meta:
        verbose_name = _("创作者")
        verbose_name_plural = _("创作者")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("web:author", args=[self.pk])


class Follow(models.Model):
    """A reader following a creator's account; at most once, and never oneself."""

    follower = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="following"
    )
    followee = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(_("关注时间"), default=timezone.now)

    class Meta:
        verbose_name = _("关注")
        verbose_name_plural = _("关注")
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_once"),
            models.CheckConstraint(condition=~Q(follower=F("followee")), name="follow_not_self"),
        ]
        indexes = [models.Index(fields=["followee", "-created_at"], name="follow_followee_idx")]

    def __str__(self) -> str:
        return f"{self.follower_id} -> {self.followee_id}"
