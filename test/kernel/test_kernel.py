"""Debian's jupyter_kernel_test suite against the convlens kernel (run with /usr/bin/python3).

The kernelspec must be findable (test/kernel/run-kernel-tests.sh installs it into a temporary
prefix and points JUPYTER_PATH there).
"""
import unittest

import jupyter_kernel_test


class ConvlensKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "convlens"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    completion_samples = [
        {"text": "Math.ab", "matches": {"abs"}},
        {"text": "const answerToEverything = 42; answerToEv", "matches": {"answerToEverything"}},
    ]
    complete_code_samples = ["1 + 1", "console.log(1)", "function f() { return 1; }"]
    incomplete_code_samples = ["function f() {", "if (true) {", "const a = ["]

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"conv" + "lens"', "result": "'convlens'"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
    ]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_display_data = [
        {"code": 'import * as tslab from "tslab"; tslab.display.html("<b>hi</b>")', "mime": "text/html"},
        {"code": 'import * as tslab from "tslab"; tslab.display.markdown("# hi")', "mime": "text/markdown"},
    ]

    code_inspect_sample = "Math.max"

    code_clear_output = 'import { clearOutput } from "convlens"; clearOutput()'

    code_page_something = 'import { page } from "convlens/kernel"; page("convlens: see inside convolutional networks")'


if __name__ == "__main__":
    unittest.main(verbosity=2)
