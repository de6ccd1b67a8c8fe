"""`manage.py words`: import a file with progress and clear errors; check a text."""

import io

import pytest
from django.core.management import CommandError, call_command

from yaowen.governance.models import AuditEntry
from yaowen.wordfilter.models import SensitiveWord

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("words", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_a_file(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# 赌博\n博彩\n六合彩\n博 彩\n！\n", encoding="utf-8")
    out, err = run("import", str(path), "--category", "gambling", "--action", "block")
    assert "Imported 2 words; skipped 1 already listed and 1 without letters" in out
    assert "invalid: ！" in err
    assert set(SensitiveWord.objects.values_list("word", flat=True)) == {"博彩", "六合彩"}
    entry = AuditEntry.objects.get(subject_type="word")
    assert entry.actor is None and entry.after["imported"] == 2
    out, _err = run("check", "买六.合.彩")
    assert out.splitlines() == ["1-6\t六合彩\tgambling\tblock", "action: block"]


def test_import_errors_are_clear(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "missing.txt"), "--category", "ads", "--action", "mask")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("博彩".encode("gbk"))
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        run("import", str(gbk), "--category", "ads", "--action", "mask")
    with pytest.raises(CommandError, match="invalid choice"):
        run("import", str(gbk), "--category", "nope", "--action", "mask")
    with pytest.raises(CommandError, match="name a subcommand"):
        run()
    assert not SensitiveWord.objects.exists()
