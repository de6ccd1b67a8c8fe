"""Benchmark the Chinese text engine: jieba vs rjieba side by side, OpenCC, SimHash.

    .venv/bin/python bench/textkit.py                 # 400 composed articles, 5 rounds
    .venv/bin/python bench/textkit.py --articles 1000 --rounds 3

Text comes from the demo composer (`yaowen.demo.compose`), deterministic per seed. Prints:
segmentation speed in MB/s (UTF-8 bytes) for both engines, raw and through the full
`Tokenizer.tokens` pipeline; segmentation quality as word-level precision/recall/F1 against
GOLD, hand-segmented news sentences; normalisation speed; SimHash fingerprints per second;
and near-duplicate / unrelated Hamming distance distributions.
"""

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from yaowen.demo.compose import CHANNELS, compose_article  # noqa: E402
from yaowen.textkit.normalize import normalize  # noqa: E402
from yaowen.textkit.simhash import hamming, simhash64  # noqa: E402
from yaowen.textkit.tokenize import ENGINES, Tokenizer  # noqa: E402

# Hand-segmented news sentences (PKU-like conventions: measure words apart, names whole).
GOLD = [
    "国务院 总理 今天 在 北京 主持 召开 国务院 常务 会议",
    "记者 从 教育部 获悉 今年 高考 报名 人数 再 创 新高",
    "上海 证券 交易所 发布 公告 称 将 加强 对 上市 公司 的 监管",
    "受 台风 影响 广东 沿海 地区 出现 强 降雨 天气",
    "国家 统计局 数据 显示 上 月 居民 消费 价格 同比 上涨",
    "这 款 新能源 汽车 的 续航 里程 超过 六百 公里",
    "中国 女排 在 比赛 中 以 三 比 零 战胜 对手",
    "专家 提醒 市民 夏季 要 注意 防暑 降温",
    "该 公司 第一 季度 营业 收入 同比 增长 两 成",
    "警方 已 对 涉事 司机 依法 采取 刑事 强制 措施",
    "研究 人员 发现 这种 药物 对 治疗 糖尿病 有 明显 效果",
    "当地 政府 投入 大量 资金 用于 改善 农村 道路",
    "新 学期 开学 在即 各地 学校 做好 安全 检查",
    "这部 电影 上映 首日 票房 突破 三 亿元",
    "央行 宣布 下调 存款 准备金 率",
    "铁路 部门 将 增开 多 趟 旅客 列车 应对 客流 高峰",
    "考古 工作者 在 遗址 中 出土 了 一批 珍贵 文物",
    "专家 认为 房地产 市场 将 逐步 趋于 稳定",
    "外交部 发言人 在 例行 记者会 上 回答 了 提问",
    "医院 开通 绿色 通道 为 老年人 提供 便利",
    "这项 技术 有望 大幅 降低 生产 成本",
    "多 名 网友 在 社交 平台 上 分享 了 自己 的 经历",
    "消防 人员 迅速 赶到 现场 将 大火 扑灭",
    "这座 城市 的 空气 质量 明显 改善",
    "球队 主教练 在 赛后 接受 了 媒体 采访",
    "旅游 旺季 来临 景区 实行 预约 入园",
    "科学家 成功 发射 了 一颗 气象 卫星",
    "市场 监管 部门 对 违法 商家 进行 了 处罚",
    "越来越 多 的 年轻人 选择 回乡 创业",
    "博物馆 推出 了 一系列 文化 创意 产品",
]


def corpus(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    day = dt.date(2025, 6, 1)
    articles = []
    for index in range(count):
        article = compose_article(rng, CHANNELS[index % len(CHANNELS)], [], day)
        articles.append(f"{article.title}\n{article.summary}\n{article.body_markdown}")
    return articles


def best_of(rounds: int, func) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def spans(words: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for word in words:
        out.add((pos, pos + len(word)))
        pos += len(word)
    return out


def quality(tokenizer: Tokenizer) -> tuple[float, float, float, int]:
    """Word-level precision, recall, F1 and exactly right sentences against GOLD."""
    hit = predicted = expected = exact = 0
    for line in GOLD:
        gold = line.split()
        cut = [w for w in tokenizer._engine.cut("".join(gold)) if w.strip()]
        g, p = spans(gold), spans(cut)
        hit += len(g & p)
        predicted += len(p)
        expected += len(g)
        exact += g == p
    precision, recall = hit / predicted, hit / expected
    return precision, recall, 2 * precision * recall / (precision + recall), exact


EDIT_WORDS = ("调整", "官方", "数据", "地方", "市场", "规定")


def near_duplicate(text: str, rng: random.Random, edits: int, donor: str = "") -> str:
    """Shuffle the paragraphs and change `edits` sentences.

    Without `donor` one word of each is replaced; with it each is replaced whole by a
    sentence of `donor`.
    """
    paragraphs = text.split("\n\n")
    rng.shuffle(paragraphs)
    sentences = "\n\n".join(paragraphs).split("。")
    spare = [s for s in donor.split("。") if len(s) > 10]
    candidates = [i for i, s in enumerate(sentences) if len(s) > 8]
    for index in rng.sample(candidates, min(edits, len(candidates))):
        s = sentences[index]
        if spare:
            sentences[index] = rng.choice(spare)
        else:
            cut = rng.randrange(2, len(s) - 4)
            sentences[index] = s[:cut] + rng.choice(EDIT_WORDS) + s[cut + 2 :]
    return "。".join(sentences)


def distribution(values: list[int]) -> str:
    counts = Counter(values)
    return " ".join(f"{d}:{counts[d]}" for d in sorted(counts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    texts = corpus(args.articles)
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    chars = sum(len(t) for t in texts)
    print(f"corpus: {len(texts)} composed articles, {chars:,} chars, {megabytes:.2f} MB UTF-8")

    seconds = best_of(args.rounds, lambda: [normalize(t) for t in texts])
    print(f"normalize (NFKC + lower + OpenCC t2s): {megabytes / seconds:6.1f} MB/s")
    normalized = [normalize(t) for t in texts]

    print(
        f"\n{'engine':8} {'init s':>7} {'cut MB/s':>9} {'tokens MB/s':>12} "
        f"{'P':>6} {'R':>6} {'F1':>6} {'exact':>6}"
    )
    tokenizers = {}
    for engine in ENGINES:
        start = time.perf_counter()
        tok = tokenizers[engine] = Tokenizer(engine=engine)
        init = time.perf_counter() - start
        raw = best_of(args.rounds, lambda tok=tok: [tok._engine.cut(t) for t in normalized])
        full = best_of(args.rounds, lambda tok=tok: [tok.tokens(t) for t in texts])
        p, r, f1, exact = quality(tok)
        print(
            f"{engine:8} {init:7.2f} {megabytes / raw:9.2f} {megabytes / full:12.2f} "
            f"{p:6.3f} {r:6.3f} {f1:6.3f} {exact:3}/{len(GOLD)}"
        )
    same = sum(tokenizers["jieba"].tokens(t) == tokenizers["rjieba"].tokens(t) for t in texts)
    print(f"jieba and rjieba give identical tokens on {same}/{len(texts)} articles")

    tok = tokenizers["jieba"]
    token_lists = [tok.tokens(t) for t in texts]
    count = len(token_lists)
    from yaowen.textkit import simhash as sh

    def fingerprints() -> None:
        sh._feature_lanes.cache_clear()
        for tokens in token_lists:
            simhash64(tokens)

    seconds = best_of(args.rounds, fingerprints)
    mean_tokens = statistics.mean(len(t) for t in token_lists)
    print(
        f"\nsimhash64 (token features, cold hash cache): {count / seconds:,.0f} docs/s, "
        f"{megabytes / seconds:.1f} MB/s of source text ({mean_tokens:.0f} tokens/doc)"
    )

    rng = random.Random(3)
    sample = range(min(200, count // 2))
    half = count // 2
    for whole in (False, True):
        for edits in (0, 1, 3, 5) if not whole else (1, 2, 3):
            if whole and edits == 0:
                continue
            dists = []
            for i in sample:
                donor = texts[i + half] if whole else ""
                copy = near_duplicate(texts[i], rng, edits, donor)
                dists.append(hamming(simhash64(token_lists[i]), simhash64(tok.tokens(copy))))
            share = sum(d <= 3 for d in dists) / len(dists)
            what = "replaced whole" if whole else "with one word changed"
            print(
                f"near-dup: paragraphs shuffled, {edits} sentences {what}: "
                f"<=3 for {share:.0%}; distance:count {distribution(dists)}"
            )
    pairs = [(simhash64(token_lists[i]), simhash64(token_lists[i + 1])) for i in range(count - 1)]
    dists = [hamming(a, b) for a, b in pairs]
    share = sum(d >= 10 for d in dists) / len(dists)
    print(
        f"unrelated (neighbouring channels): >=10 for {share:.0%}; "
        f"min {min(dists)}, median {statistics.median(dists)}"
    )


if __name__ == "__main__":
    main()
