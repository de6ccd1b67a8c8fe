"""Channel classifier: training, prediction, persistence, TSV reading and the command."""

import random
import re
import sys
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yaowen.textkit.classifier import (
    ChannelClassifier,
    Example,
    baseline,
    evaluate,
    read_tsv,
)

VOCABULARY = {
    "sports": ["足球", "联赛", "进球", "主教练", "冠军", "球迷", "篮球", "季后赛", "射门"],
    "finance": ["股市", "银行", "利率", "基金", "投资者", "债券", "央行", "汇率", "上市"],
    "tech": ["芯片", "手机", "人工智能", "算法", "互联网", "软件", "数据中心", "5G", "机器人"],
    "ent": ["电影", "导演", "演唱会", "明星", "票房", "综艺", "歌手", "剧组", "首映"],
    "edu": ["高考", "学校", "教师", "招生", "大学", "课程", "学生", "考试", "留学"],
    "house": ["楼盘", "房价", "开发商", "限购", "二手房", "物业", "房贷", "土地", "户型"],
}
FILLER = ["今日", "消息", "记者", "表示", "最新", "发布", "关注", "报道", "本周", "专家"]
LAST_LINE = re.compile(r"^accuracy=\d\.\d{4} macro_f1=\d\.\d{4}$")


def corpus(per_class: int = 30, seed: int = 1) -> list[Example]:
    rng = random.Random(seed)
    examples = []
    for label, words in VOCABULARY.items():
        for _ in range(per_class):
            title = "".join(rng.sample(words, 3) + rng.sample(FILLER, 2))
            body = "，".join(rng.sample(words, 4) + rng.sample(FILLER, 4)) + "。"
            examples.append(Example(label, title, body if rng.random() < 0.5 else ""))
    rng.shuffle(examples)
    return examples


def write_tsv(path, examples) -> None:
    path.write_text(
        "".join(f"{e.label}\t{e.title}\t{e.body}\n" for e in examples), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def split():
    examples = corpus()
    return examples[:120], examples[120:]


@pytest.fixture(scope="module")
def model(split):
    return ChannelClassifier().fit(split[0])


def test_held_out_articles_get_their_channel(model, split):
    report, accuracy, macro_f1 = evaluate(model, split[1])
    assert accuracy >= 0.9
    assert macro_f1 >= 0.9
    assert "sports" in report and "house" in report


def test_title_alone_and_title_with_body_are_both_classified(model):
    assert model.predict("主教练谈联赛冠军") == "sports"
    assert model.predict("", "房价上涨，开发商推出新楼盘，二手房成交放缓。") == "house"
    assert model.predict("Ｈｅｌｌｏ　央行利率") == "finance"  # full-width forms fold


def test_predict_proba_ranks_labels(model):
    ranked = model.predict_proba("芯片与人工智能算法", top=3)
    assert [label for label, _ in ranked][0] == "tech"
    assert len(ranked) == 3
    assert ranked[0][1] >= ranked[1][1] >= ranked[2][1]
    assert sum(p for _, p in model.predict_proba("芯片", top=6)) == pytest.approx(1.0)


def test_fast_path_matches_scikit_learn(split):
    """The dictionary-based scores must equal those of the sparse training pipeline."""
    from scipy.sparse import diags, hstack
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.preprocessing import normalize
    from sklearn.svm import LinearSVC

    train, test = split
    y = np.array([e.label for e in train])
    model = ChannelClassifier(c=1.0).fit(train)
    fields = [model._fields(e.title, e.body) for e in train]
    test_fields = [model._fields(e.title, e.body) for e in test]
    vectorizers = model._vectorizers(len(train))
    parts = model._block_matrices(vectorizers, fields, fit=True)
    test_parts = model._block_matrices(vectorizers, test_fields, fit=False)
    assert len(parts) == len(model._tables) == 4  # some bodies are empty, not all

    svm = LinearSVC(C=1.0, random_state=0).fit(hstack([p for p, _ in parts]), y)
    expected = {"svm": svm.decision_function(hstack([p for p, _ in test_parts]))}

    def presence(blocks):
        blocks = [p.copy() for p, _ in blocks]
        for block in blocks:
            block.data[:] = 1.0
        return blocks

    train_presence, test_presence = presence(parts), presence(test_parts)
    nb = MultinomialNB(alpha=0.1).fit(hstack(train_presence), y)
    expected["nb"] = nb.predict_joint_log_proba(hstack(test_presence))

    nbsvm = np.zeros((len(test), len(model.classes_)))
    for j, label in enumerate(model.classes_):
        ratios = []
        for block in train_presence:
            p = 1.0 + np.asarray(block[y == label].sum(axis=0)).ravel()
            q = 1.0 + np.asarray(block[y != label].sum(axis=0)).ravel()
            ratios.append(np.log(p / p.sum()) - np.log(q / q.sum()))

        def scaled(blocks, ratios=ratios):
            return hstack([normalize(b @ diags(r)) for b, r in zip(blocks, ratios, strict=True)])

        binary = LinearSVC(C=1.0, random_state=0).fit(scaled(train_presence), y == label)
        nbsvm[:, j] = binary.decision_function(scaled(test_presence))
    expected["nbsvm"] = nbsvm

    for i, example in enumerate(test):
        scores = model.member_scores(example.title, example.body)
        assert set(scores) == {"svm", "nbsvm", "nb"}
        for name, values in scores.items():
            assert values == pytest.approx(expected[name][i], abs=1e-3), name


def test_save_and_load_give_identical_predictions(model, split, tmp_path):
    path = tmp_path / "deep" / "model.joblib"
    model.save(path)
    loaded = ChannelClassifier.load(path)
    for example in split[1]:
        assert loaded.predict(example.title, example.body) == model.predict(
            example.title, example.body
        )


def test_load_rejects_a_file_that_is_not_a_model(tmp_path):
    path = tmp_path / "junk.joblib"
    path.write_text("not a model")
    with pytest.raises(ValueError, match="not a saved channel classifier"):
        ChannelClassifier.load(path)


def test_baseline_trains_and_predicts(split):
    _, accuracy, _ = evaluate(baseline().fit(split[0]), split[1])
    assert accuracy >= 0.8


def test_training_needs_two_channels():
    with pytest.raises(ValueError, match="two channels"):
        ChannelClassifier().fit([Example("a", "标题"), Example("a", "另一个")])


def test_each_member_alone_classifies_and_unknown_members_are_refused(split):
    for members in (("svm",), ("nbsvm",), ("nb",), ("svm", "nb")):
        model = ChannelClassifier(members=members).fit(split[0])
        assert set(model.member_scores("主教练谈联赛冠军")) == set(members)
        _, accuracy, _ = evaluate(model, split[1])
        assert accuracy >= 0.9, members
    with pytest.raises(ValueError, match="members"):
        ChannelClassifier(members=("svm", "forest"))
    with pytest.raises(ValueError, match="members"):
        ChannelClassifier(members=())


def test_decision_averages_standardised_member_scores(model):
    scores = model.member_scores("芯片与人工智能算法", "手机软件")
    standardised = [(s - s.mean()) / s.std() for s in scores.values()]
    assert model.decision("芯片与人工智能算法", "手机软件") == pytest.approx(sum(standardised) / 3)
    assert model.chosen_c == 1.0


def test_two_channels(split):
    two = [e for e in split[0] if e.label in ("sports", "finance")]
    model = ChannelClassifier().fit(two)
    assert model.classes_ == ["finance", "sports"]
    assert model.predict("足球联赛进球") == "sports"
    assert model.predict("央行利率与债券") == "finance"
    for scores in model.member_scores("足球联赛进球").values():
        assert scores.shape == (2,)


def test_large_corpus_drops_features_seen_once(monkeypatch):
    from yaowen.textkit.classifier import model as classifier

    examples = corpus(per_class=40, seed=2) + [Example("sports", "独一无二的罕见标题词")]
    monkeypatch.setattr(classifier, "MIN_DF_FROM", 100)
    model = ChannelClassifier().fit(examples)
    assert "罕见" not in model._tables[0].vocabulary
    assert model.predict("足球联赛冠军") == "sports"
    small = ChannelClassifier(min_df=1).fit(examples)
    assert "罕见" in small._tables[0].vocabulary


def test_long_body_is_capped_and_classified(model):
    body = "，".join(["房价上涨开发商推出新楼盘二手房成交放缓"] * 200)  # ~4,000 characters
    assert model.predict("本周消息", body) == "house"
    assert model.decision("本周消息", body) == pytest.approx(
        model.decision("本周消息", body[:1500])
    )


def test_long_texts_n_grams_counted_as_numbers_are_the_strings_counts(model, monkeypatch):
    from yaowen.textkit.classifier import counting

    rng = random.Random(3)
    words = [w for ws in VOCABULARY.values() for w in ws] + FILLER + ["𠀋𠀍", "ａｂ c", "  "]
    texts = []
    for size in (200, 600, 1500):
        text = ""
        while len(text) < size:
            text += rng.choice(words)
        texts.append(text)
    tables = [table for table in model._tables if type(table.analyzer).__name__ == "CharGrams"]
    assert tables and all(len(text) >= counting.ARRAY_FROM for text in texts)
    fast = [counting.known_features(table, text) for table in tables for text in texts]
    monkeypatch.setattr(counting, "ARRAY_FROM", 10**9)
    slow = [counting.known_features(table, text) for table in tables for text in texts]
    for (columns, counts), (expected_columns, expected_counts) in zip(fast, slow, strict=True):
        assert columns.tolist() == expected_columns.tolist()
        assert counts.tolist() == expected_counts.tolist()


def test_round_trip_on_a_written_corpus(tmp_path):
    """Train from a TSV file the test writes, save, load: the same labels and scores."""
    path = tmp_path / "corpus.tsv"
    write_tsv(path, corpus(per_class=25, seed=5))
    examples = read_tsv(path)
    model = ChannelClassifier().fit(examples[:100])
    model.save(tmp_path / "m.joblib")
    loaded = ChannelClassifier.load(tmp_path / "m.joblib")
    assert loaded.classes_ == model.classes_
    for example in examples[100:]:
        assert loaded.predict(example.title, example.body) == model.predict(
            example.title, example.body
        )
        assert loaded.decision(example.title, example.body) == pytest.approx(
            model.decision(example.title, example.body)
        )


def test_load_refuses_an_older_format(tmp_path, model):
    import joblib

    path = tmp_path / "old.joblib"
    joblib.dump({"format": 1, "model": model}, path)
    with pytest.raises(ValueError, match="unsupported classifier format"):
        ChannelClassifier.load(path)


# -- read_tsv -----------------------------------------------------------------------


def test_read_tsv_tolerates_bom_crlf_missing_body_and_bad_bytes(tmp_path):
    path = tmp_path / "a.tsv"
    path.write_bytes(
        "\ufeffsports\t国足出线\t正文\r\n".encode()
        + b"tech\t\xe8\x8a\xaf\xff\r\n"
        + b"\n"
        + "ent\t电影\t第一段\t含制表符\n".encode()
    )
    examples = read_tsv(path)
    assert examples == [
        Example("sports", "国足出线", "正文"),
        Example("tech", "芯\ufffd", ""),
        Example("ent", "电影", "第一段\t含制表符"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sports\t标题\nno tab here\n", "line 2: expected label<TAB>title<TAB>body"),
        ("sports\t标题\n\n\t标题\tbody\n", "line 3: empty label"),
    ],
)
def test_read_tsv_names_the_malformed_line(tmp_path, content, message):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        read_tsv(path)


# -- the management command ----------------------------------------------------------


def run(*args, stdin: str | None = None, monkeypatch=None) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", StringIO(stdin))
    call_command("classifier", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def tsv_pair(tmp_path, split):
    train, test = tmp_path / "train.tsv", tmp_path / "test.tsv"
    write_tsv(train, split[0])
    write_tsv(test, split[1])
    return train, test


def test_evaluate_command_prints_report_then_scores_last(tsv_pair, tmp_path):
    train, test = tsv_pair
    model_out = tmp_path / "m.joblib"
    out, err = run(
        "evaluate", "--train", str(train), "--test", str(test), "--model-out", str(model_out)
    )
    lines = out.rstrip("\n").splitlines()
    assert LAST_LINE.match(lines[-1]), lines[-1]
    assert float(lines[-1].split()[0].split("=")[1]) >= 0.9
    assert any(line.split()[:1] == ["finance"] for line in lines)
    assert "training on 120 articles" in err
    assert model_out.exists()


def test_evaluate_command_reports_bad_input_clearly(tmp_path, tsv_pair):
    train, _ = tsv_pair
    bad = tmp_path / "bad.tsv"
    bad.write_text("sports\t标题\nbroken\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        run("evaluate", "--train", str(bad), "--test", str(train))
    with pytest.raises(CommandError, match="cannot read"):
        run("evaluate", "--train", str(tmp_path / "missing.tsv"), "--test", str(train))
    empty = tmp_path / "empty.tsv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="no training data"):
        run("evaluate", "--train", str(empty), "--test", str(train))
    with pytest.raises(CommandError):
        run("evaluate", "--train", str(train))  # --test missing


def test_unknown_or_missing_subcommand_is_a_command_error():
    with pytest.raises(CommandError):
        run("guess")
    with pytest.raises(CommandError, match="subcommand"):
        run()


def test_train_then_predict_from_a_tsv(tsv_pair, tmp_path, monkeypatch):
    train, _ = tsv_pair
    model = tmp_path / "m.joblib"
    out, _ = run("train", "--tsv", str(train), "--out", str(model))
    assert "6 channels" in out
    out, _ = run("predict", "--model", str(model), "--title", "高考招生与大学课程")
    assert out.strip() == "edu"
    out, _ = run(
        "predict",
        "--model",
        str(model),
        stdin="电影票房与导演\nx\t股市\t银行利率上调\n\n楼盘房价\t开发商\n",
        monkeypatch=monkeypatch,
    )
    assert out.split() == ["ent", "finance", "house"]


def test_predict_without_a_model_says_how_to_get_one(tmp_path):
    with pytest.raises(CommandError, match="classifier train"):
        run("predict", "--model", str(tmp_path / "none.joblib"), "--title", "标题")


@pytest.mark.django_db
def test_train_command_learns_from_published_articles(tmp_path, settings):
    from yaowen.core.tests.factories import ArticleFactory
    from yaowen.newsroom.models import Article, Channel

    settings.CLASSIFIER_PATH = str(tmp_path / "var" / "classifier.joblib")
    channels = {slug: Channel.objects.get(slug=slug) for slug in ("sports", "finance", "tech")}
    for example in corpus(per_class=12, seed=3):
        if example.label in channels:
            ArticleFactory(
                channel=channels[example.label], title=example.title, body_source=example.body
            )
    # A draft of another channel must not become a label.
    ArticleFactory(
        channel=Channel.objects.get(slug="ent"), title="电影票房", status=Article.Status.DRAFT
    )
    out, err = run("train")
    assert "training on 36 articles" in err
    model = ChannelClassifier.load(tmp_path / "var" / "classifier.joblib")
    assert model.classes_ == ["finance", "sports", "tech"]
    assert model.predict("足球联赛冠军") == "sports"


@pytest.mark.django_db
def test_train_command_without_published_articles_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="no training data"):
        run("train", "--out", str(tmp_path / "m.joblib"))
