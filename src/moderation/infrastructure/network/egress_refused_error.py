class EgressRefusedError(Exception):
    """An outbound request was refused before any byte left: its target is not allowed.

    `reason` is safe to show to the tenant who owns the target (it never names the address a
    host resolved to, which would disclose the operator's internal DNS).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
