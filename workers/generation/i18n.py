"""The fixed phrases of generated material in the notes' own language (English, Spanish, Russian, Chinese), so
a Chinese deck gets a Chinese quiz rather than English scaffolding around Chinese text."""

from __future__ import annotations

from shared.text import detect_language

Lang = str  # "en" | "es" | "ru" | "zh"


PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "mc_point": "Which of these is one of the items of “{title}”?",
        "mc_term": "Which term is defined as: {definition}?",
        "mc_def": "What is {term}?",
        "tf": "True or false: {statement}",
        "on_slides": "On the slides about {title}: ",
        "fill": "Fill in the blank: {sentence}",
        "mc_complete": "Which term completes the statement: “{sentence}”?",
        "name_items": "What are the {n} items of “{title}”?",
        "name_term": "Name the term: {definition}.",
        "key_points": "{title}: what are the key points?",
        "figure_q": "What does the figure{where} show?",
        "figure_where": " on “{title}”",
        "figure_title_q": "Which concept of the lecture does this figure show?",
        "true": "True",
        "false": "False",
        "swapped": "That describes {term}, not {other}.",
        "slides_say": "The slides say: {point}",
        "slides_on_say": "The slides on {title} say: {point}",
        "answer_key": "Answer key",
        "answer": "Answer",
        "source": "Source",
        "slide": "slide",
        "name_score": "Name: ______________________        Score: ______ / {n}",
        "subtitle": "{count} · difficulty: {difficulty}",
        "key_terms": "Key terms",
        "formulas": "Formulas",
        "main_points": "Main points",
        "figure": "Figure",
        "legend": "(s. N) = slide N of that lecture",
        "cheat_sheet": "cheat sheet",
        "quiz": "quiz",
    },
    "es": {
        "mc_point": "¿Cuál de estos es uno de los elementos de «{title}»?",
        "name_items": "¿Cuáles son los {n} elementos de «{title}»?",
        "mc_term": "¿Qué término se define como: {definition}?",
        "mc_def": "¿Qué es {term}?",
        "tf": "Verdadero o falso: {statement}",
        "on_slides": "En las diapositivas sobre {title}: ",
        "fill": "Completa el espacio: {sentence}",
        "name_term": "Nombra el término: {definition}.",
        "key_points": "{title}: ¿cuáles son los puntos clave?",
        "figure_q": "¿Qué muestra la figura{where}?",
        "figure_where": " de «{title}»",
        "figure_title_q": "¿Qué concepto de la clase muestra esta figura?",
        "true": "Verdadero",
        "false": "Falso",
        "swapped": "Eso describe {term}, no {other}.",
        "slides_say": "Las diapositivas dicen: {point}",
        "slides_on_say": "Las diapositivas sobre {title} dicen: {point}",
        "answer_key": "Solucionario",
        "answer": "Respuesta",
        "source": "Fuente",
        "slide": "diapositiva",
        "name_score": "Nombre: ______________________        Nota: ______ / {n}",
        "subtitle": "{count} · dificultad: {difficulty}",
        "key_terms": "Términos clave",
        "formulas": "Fórmulas",
        "main_points": "Ideas principales",
        "figure": "Figura",
        "legend": "(s. N) = diapositiva N de esa clase",
        "cheat_sheet": "resumen",
        "quiz": "cuestionario",
    },
    "ru": {
        "mc_point": "Что из этого относится к «{title}»?",
        "name_items": "Перечислите все элементы «{title}» (всего {n}).",
        "mc_term": "Какой термин определяется так: {definition}?",
        "mc_def": "Что такое {term}?",
        "tf": "Верно или неверно: {statement}",
        "on_slides": "На слайдах о «{title}»: ",
        "fill": "Заполните пропуск: {sentence}",
        "name_term": "Назовите термин: {definition}.",
        "key_points": "{title}: каковы основные положения?",
        "figure_q": "Что показывает рисунок{where}?",
        "figure_where": " на слайде «{title}»",
        "figure_title_q": "Какое понятие лекции показывает этот рисунок?",
        "true": "Верно",
        "false": "Неверно",
        "swapped": "Это описывает {term}, а не {other}.",
        "slides_say": "На слайдах сказано: {point}",
        "slides_on_say": "На слайдах о «{title}» сказано: {point}",
        "answer_key": "Ответы",
        "answer": "Ответ",
        "source": "Источник",
        "slide": "слайд",
        "name_score": "Имя: ______________________        Баллы: ______ / {n}",
        "subtitle": "{count} · сложность: {difficulty}",
        "key_terms": "Ключевые термины",
        "formulas": "Формулы",
        "main_points": "Основные положения",
        "figure": "Рисунок",
        "legend": "(s. N) = слайд N этой лекции",
        "cheat_sheet": "шпаргалка",
        "quiz": "тест",
    },
    "zh": {
        "mc_point": "以下哪一项属于「{title}」？",
        "mc_term": "哪个术语的含义是：{definition}？",
        "mc_def": "{term}是什么？",
        "tf": "判断对错：{statement}",
        "on_slides": "关于「{title}」：",
        "fill": "填空：{sentence}",
        "name_term": "写出术语：{definition}。",
        "key_points": "「{title}」的要点是什么？",
        "figure_q": "图{where}展示了什么？",
        "figure_where": "（「{title}」）",
        "figure_title_q": "这幅图展示的是本讲的哪个概念？",
        "true": "对",
        "false": "错",
        "swapped": "这描述的是{term}，而不是{other}。",
        "slides_say": "幻灯片中写道：{point}",
        "slides_on_say": "关于「{title}」，幻灯片中写道：{point}",
        "answer_key": "答案",
        "answer": "答",
        "source": "出处",
        "slide": "第{page}页",
        "name_score": "姓名：______________________        得分：______ / {n}",
        "subtitle": "{count} · 难度：{difficulty}",
        "key_terms": "关键术语",
        "formulas": "公式",
        "main_points": "要点",
        "figure": "图",
        "legend": "(s. N) = 该讲第 N 页",
        "cheat_sheet": "复习提纲",
        "quiz": "测验",
    },
}


def detect(text: str) -> Lang:
    """The language of the notes' phrases: the toolkit's detected language when we have phrases for it,
    else English."""
    lang = detect_language(text)
    return lang if lang in PHRASES else "en"


def t(lang: Lang, key: str, **values: object) -> str:
    table = PHRASES.get(lang, PHRASES["en"])
    return table.get(key, PHRASES["en"][key]).format(**values)


def slide_label(lang: Lang, lecture: str, page: int) -> str:
    if lang == "zh":
        return f"{lecture}，第{page}页"
    return f"{lecture}, {t(lang, 'slide')} {page}"


# A count's noun in the form the number takes ("1 question", "3 вопроса", "5 вопросов"), and the difficulty's
# name in the notes' language: a Russian handout read "3 вопросов · сложность: medium".
_QUESTIONS: dict[str, tuple[str, ...]] = {
    "en": ("question", "questions"),
    "es": ("pregunta", "preguntas"),
    "ru": ("вопрос", "вопроса", "вопросов"),  # one, few (2-4), many
    "zh": ("道题",),
}
_DIFFICULTY: dict[str, dict[str, str]] = {
    "es": {"easy": "fácil", "medium": "media", "hard": "difícil"},
    "ru": {"easy": "низкая", "medium": "средняя", "hard": "высокая"},
    "zh": {"easy": "简单", "medium": "中等", "hard": "困难"},
}


def _plural_index(lang: Lang, n: int) -> int:
    if lang == "ru":  # 1, 21, 101: one; 2-4, 22-24: few; 0, 5-20, 25-30, 111-114: many
        if n % 10 == 1 and n % 100 != 11:
            return 0
        return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2
    return 0 if n == 1 else 1


def question_count(lang: Lang, n: int) -> str:
    forms = _QUESTIONS.get(lang, _QUESTIONS["en"])
    noun = forms[min(_plural_index(lang, n), len(forms) - 1)]
    return f"{n} {noun}"


def quiz_subtitle(lang: Lang, n: int, difficulty: str) -> str:
    """The handout's line under its title: how many questions and the difficulty, in the notes' language."""
    named = _DIFFICULTY.get(lang, {}).get(difficulty, difficulty)
    return t(lang, "subtitle", count=question_count(lang, n), difficulty=named)
