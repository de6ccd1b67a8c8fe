"""The platform's default channels: main channels, then original columns, in display order."""

# slug, name, group, shown in headline blocks, block title ("" = name + 要闻)
DEFAULT_CHANNELS: list[tuple[str, str, str, bool, str]] = [
    ("news", "要闻", "main", True, "头条要闻"),
    ("world", "国际", "main", False, ""),
    ("military", "军事", "main", False, ""),
    ("society", "社会", "main", False, ""),
    ("sports", "体育", "main", True, ""),
    ("ent", "娱乐", "main", True, ""),
    ("finance", "财经", "main", True, ""),
    ("tech", "科技", "main", True, ""),
    ("auto", "汽车", "main", True, ""),
    ("house", "房产", "main", False, ""),
    ("edu", "教育", "main", False, ""),
    ("travel", "旅游", "main", False, ""),
    ("culture", "文化", "main", False, ""),
    ("history", "历史", "main", False, ""),
    ("health", "健康", "main", False, ""),
    ("parenting", "亲子", "original", True, ""),
    ("home", "家居", "original", True, ""),
    ("art", "艺术", "original", True, ""),
    ("games", "游戏", "original", True, ""),
    ("digital", "数码", "original", True, ""),
]


def channels_seed(channel_model) -> None:
    """Create the default channels that are missing; staff's edits to existing ones stay.

    Takes the model class so that the data migration can pass its historical model.
    """
    for position, (slug, name, group, in_blocks, block_title) in enumerate(DEFAULT_CHANNELS):
        channel_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "group": group,
                "position": position * 10,
                "in_blocks": in_blocks,
                "block_title": block_title,
            },
        )
