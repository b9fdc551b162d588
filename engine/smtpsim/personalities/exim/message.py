"""How Exim 4.96 ends a message (``receive.c``), split out of exim.py.

DATA (RFC 5321 §4.1.1.4) and BDAT (RFC 3030 §2) end the same way: over
``message_size_limit`` (Debian: 50M, RFC 1870) the answer is ``552``, else Debian's
``acl_check_data`` (998-octet lines) decides, else the message is queued.  A sender that asked
for PRDR (draft-hall-prdr, advertised by Exim) and has more than one recipient gets ``353``,
one reply per recipient and one for the message.  A non-LAST chunk that takes the message over
the limit is answered ``552`` at once and the transaction is gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...events import Reject, Reply, Result
from ...machine import Outcome
from ...personality import accept
from .replies import EximReplies as R

if TYPE_CHECKING:
    from .server import Exim

SIZE_LIMIT = 52428800


class MessageMixin:
    def _no_recipients(self: Exim, cmd: str) -> Reply:
        """DATA/BDAT with no accepted recipient: the 503 that may repeat the RCPT refusal."""
        head = None
        if self.rcpt_same and self.rcpt_response is not None:
            head = R.S503_ALL_RCPT_REJECTED.with_lines(self.rcpt_response.split("\n"))
        if self.pipelining and self.last_was_rcpt:
            tail = R.S503_VALID_RCPT.render(cmd=cmd)
        else:
            reason = "no-valid-recipients" if head else None
            tail = self.synprot_error(R.S503_VALID_RCPT_LC, reason, cmd=cmd).reply
        return head + tail if head else tail

    def on_data_no_mail(self: Exim, verb: str, arg: str) -> Result:
        raise Reject(self._no_recipients("DATA"))

    on_data_no_rcpt = on_data_no_mail

    def on_data(self: Exim, verb: str, arg: str) -> Result:
        return accept(verb, R.S354_ENTER.render())

    def data_line(self: Exim, length: int) -> None:
        self.msg_size += length + 2
        self.max_line = max(self.max_line, length)

    def end_of_data(self: Exim) -> Result:
        """receive.c and Debian's acl_check_data, then a new message setup."""
        if self.msg_size > SIZE_LIMIT:
            res = Result(Outcome.REFUSED, (R.S552_SIZE.render(),))
        elif self.max_line > 998:
            res = Result(Outcome.REFUSED, (R.S550_LINE_LENGTH.render(length=self.max_line),))
        else:
            res = Result(Outcome.ACCEPTED, (*self.message_accepted(),))
        self.new_message()
        return res

    def message_accepted(self: Exim, chunk_head: Reply | None = None) -> list[Reply]:
        """The queued message's reply; with PRDR and several recipients, one per recipient
        first (Debian defines no acl_smtp_data_prdr, so each is accepted)."""
        qid = self.queue_id()
        rcpts = self.session.recipients
        if self.prdr and len(rcpts) > 1:
            return [
                R.S353_PRDR.render(),
                *(R.S250_PRDR_RECIPIENT.render(addr=a) for a in rcpts),
                R.S250_PRDR_QUEUED.render(qid=qid),
            ]
        queued = R.S250_QUEUED.render(qid=qid)
        return [chunk_head + queued if chunk_head else queued]

    def end_of_chunk(self: Exim) -> Result:
        """A chunk (LAST or not) that takes the message over the limit: 552, message gone."""
        if not self.bdat_discard and self.bdat_total > SIZE_LIMIT:
            self.chunking_active = False
            self.new_message()
            return Result(Outcome.REFUSED, (R.S552_SIZE.render(),))
        return super().end_of_chunk()
