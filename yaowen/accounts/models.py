"""Accounts: the custom user model, creator profiles (号) and follows."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaowen.core.models import TimeStampedModel
from yaowen.core.urls import fast_reverse


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
    is_trusted = models.BooleanField(
        _("免审发布"), default=False, help_text=_("受信任的创作者提交的文章无需审核即可发布")
    )
    contact = models.CharField(_("联系方式"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("创作者")
        verbose_name_plural = _("创作者")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return fast_reverse("web:author", [self.pk])


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


class CreatorApplication(TimeStampedModel):
    """One person's 入驻 application; resubmitted in place after a rejection, at most 3 times."""

    MAX_SUBMISSIONS = 3

    class Status(models.TextChoices):
        PENDING = "pending", _("审核中")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    class Reason(models.TextChoices):
        NAME = "name", _("名称不符合规范")
        BIO = "bio", _("简介不符合规范")
        AVATAR = "avatar", _("头像不符合规范")
        QUALIFICATION = "qualification", _("资质材料不足")
        FIELD = "field", _("领域与资质不符")
        DUPLICATE = "duplicate", _("重复或冒用账号")
        OTHER = "other", _("其他")

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="application"
    )
    account_type = models.CharField(
        _("账号类型"), max_length=16, choices=CreatorProfile.AccountType
    )
    display_name = models.CharField(_("账号名称"), max_length=30)
    field = models.ForeignKey(
        "newsroom.Channel",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("领域"),
    )
    bio = models.CharField(_("一句话简介"), max_length=120)
    avatar = models.ImageField(_("头像"), upload_to="avatars/%Y/%m/")
    contact = models.CharField(_("联系方式"), max_length=60)
    statement = models.TextField(_("资质说明"), max_length=500)
    status = models.CharField(_("状态"), max_length=16, choices=Status, default=Status.PENDING)
    submission_count = models.PositiveSmallIntegerField(_("提交次数"), default=1)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    reviewer = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_applications",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reasons = models.JSONField(_("原因"), default=list, blank=True)
    note = models.TextField(_("审核说明"), blank=True)

    class Meta:
        verbose_name = _("入驻申请")
        verbose_name_plural = _("入驻申请")
        indexes = [models.Index(fields=["status", "submitted_at"], name="application_queue_idx")]
        permissions = [("review_application", _("可以审核入驻申请"))]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_status_display()})"

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(self.Reason.choices)
        return [str(labels.get(code, code)) for code in self.reasons]

    @property
    def can_resubmit(self) -> bool:
        return self.status == self.Status.REJECTED and self.submission_count < self.MAX_SUBMISSIONS


# Account security (yaowen.accounts.security): second factors and signed-in sessions.


class TotpDevice(models.Model):
    """An authenticator app (TOTP) of one account, stored once its first code was right.

    The shared secret is sealed with a key derived from SECRET_KEY (`security.sealing`), so a
    database read alone gives no working code; `last_step` refuses a code used twice.
    """

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="totp_device"
    )
    sealed_secret = models.TextField(_("密钥（已加密）"))
    last_step = models.BigIntegerField(_("最近使用的时间步"), default=0)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("验证器应用")
        verbose_name_plural = _("验证器应用")

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"


class Passkey(models.Model):
    """A WebAuthn credential (通行密钥) registered by one account, with its signature counter."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(_("名称"), max_length=60)
    # base64url of the raw credential id (at most 1023 bytes).
    credential_id = models.CharField(_("凭据 ID"), max_length=1400, unique=True)
    public_key = models.BinaryField(_("公钥"))
    sign_count = models.PositiveBigIntegerField(_("签名计数"), default=0)
    transports = models.JSONField(_("传输方式"), default=list, blank=True)
    backed_up = models.BooleanField(_("已同步备份"), default=False)
    created_at = models.DateTimeField(_("添加时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("通行密钥")
        verbose_name_plural = _("通行密钥")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class RecoveryCode(models.Model):
    """One of an account's one-time recovery codes, kept only as a keyed digest."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")
        constraints = [
            models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_once")
        ]

    def __str__(self) -> str:
        return f"recovery {self.user_id}"


class UserSession(models.Model):
    """A signed-in session of one account, listed so that it can be signed out from elsewhere.

    Found by a digest of its session key; the key itself is kept sealed, only to delete the
    session from the store when it is revoked. `last_seen` moves every few minutes at most.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    key_digest = models.CharField(max_length=64, unique=True)
    sealed_key = models.TextField()
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("登录时间"), default=timezone.now)
    last_seen = models.DateTimeField(_("最近活动"), default=timezone.now)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        indexes = [models.Index(fields=["user", "-last_seen"], name="user_session_recent_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.ip or '?'}"
