import ast
from pathlib import Path

import assessment

FORBIDDEN = ("django", "rest_framework", "celery", "coverapp", "workers", "frontend")


def test_assessment_imports_nothing_of_the_web_service():
    offenders = []
    for path in Path(assessment.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
