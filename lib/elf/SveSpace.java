import java.util.Base64;

/**
 * Which SVE-space words (bits 28:25 = 0010) SVE itself defines and which need SVE2. Two tables, made by
 * tests/support/sve-table.py from llvm-objdump's decoder (an encoding is SVE when it decodes with +sve,+i8mm,+bf16;
 * SVE2 when it needs +sve2 with the aes, sha3 and bitperm parts): the first is indexed by bits 31:29, 24:21 and
 * 15:10 (2 bits each: 0 SVE, 1 SVE2, 2 neither: SVE2.1, SME or unallocated, 3 look in the second table), the second by
 * bits 20:16 within the entries marked 3, in their order. CpuCheckTest checks both against llvm-objdump.
 */
final class SveSpace {
    static final int SVE = 0, SVE2 = 1, LATER = 2;

    private static final byte[] L1 = Base64.getDecoder().decode(""
            + "AAAAAAAAAAAAAAAAAAAAAKAAqlwAoFWlICAAKqqqoAAAAAAAAAAAAAAAAAAAAAAAoACqVACgWaUgIACIAKqgAAAAAAAAAAAAAAAAAAAAAACgAKpkAKBZpSAg"
            + "AIgAqqAAAAAAAAAAAAAAAAAAAAAAAKAAqmQAqlmlqiAAiACqoAAAAAAAAAAAAAAAAAAAAAAAAABYiACgAKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABVVViI"
            + "AKAAoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAKqqWIgAoACgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAqqpYiACgAKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAqqqqqqqq"
            + "AAAAAKqqqqoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAKqqAAAAABERqqmqqqqqAAAAAAAAqqoAAAAAAAAAAAAAqqoAAAAAERGqqaqqqqoAAAAAAAAAAAAA"
            + "AAAAAAAAAACqqqqqqqoREaipqqqqqgAAAAAAAAAAAAAAAAAAAAAAAKqqqqqqqhERqKmqqqqqAAAAAAAAAACqqlVVqqqqpf////+qqqqqWqWqqqqqqqqqqqqq"
            + "qqqqlVqqVVVVVVWl/////6qqqqpapaqqqqqqqqqqqqqqqqqVUFVVVVVVVYX/////qqqqqlAFVVVVqlVVVVVVVVVVVZVQVVVVVVVVpf////+qqqqqUKVVVVWq"
            + "VVVVVVVVVVVVlaqqqqqqqlqqqoX/lar1/1//////qqqqqlVVqaqqqq+mVVWqVVVVVVVZpVWVVfVVVVVVVVX/r1VVVVWqqqqqqqpVVapVVVWlVVmFqpVV9VVV"
            + "qqqqqqqqVVWqqqqqVVWqqlVVqlVVVVVVWYWqlVX1VVWqqqqqqqpVVaqqqqpVVaqqqqqqqqqqqqqqqqqqqqqqqqCqqKqqqqqqqqqqqqqqqqoAAAAAAAAAAP//"
            + "qqqqqqqqoKqoqqiqqqqoqqqqqqqiqgAAAAAAAAAA//+qqqqqqqqgAKiqVapVqqWqpaqqqqqqAAAAAAAAAAD//6qqqqqqqqAAqKoAqqqqoKqqqqqqqqqqqqqq"
            + "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqgAKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            + "AAAACgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVVVVVQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            + "AAAAAAAAAAAAAAAAAAAAAFVVVVUAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAqqqqqgAAAACqqlVVAAAAAKqq"
            + "qqoAAAAAqqqqqgAAAACqqqqqAAAAAAAAAAAAAAAAqqqqqgAAAAAAAAAAAAAAAAAAqqoAAKqqqqqqqgAAAAAAAKqqAACqqqqqqqqqqqqqAAAAAAAAAAAAAAAA"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAKqqAAAAAAAAqqqqqgAAAACqqgAAAAAAAKqqqqoAAAAAqqoAAAAAAACqqqqqAAAAAKqqAAAAAAAAAAAAAAAA"
            + "AACqqgAAAAAAAKqqqqoAAAAAqqoAAAAAAACqqqqqAAAAAKqqAAAAAAAAqqqqqgAAAACqqgAAAAAAAAAAAAAAAAAAqqoAAAAAAACqqqqqAAAAAKqqAAAAAAAA"
            + "qqqqqgAAAACqqgAAAAAAAKqqqqoAAAAAqqoAAAAAAAAAAAAAAAAAAKqqAAAAAAAAqqqqqgAAAACqqgAAAAAAAKqqqqoAAAAAqqoAAAAAAACqqqqqAAAAAKqq"
            + "AAAAAAAAAAAAAAAAAABVVaqqVVUAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVVWqqlVVAAAAAAAA"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAFVVqqpVVQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            + "AAAAAAAAAAAAAAAAAAAAAAAAqqqqqgAAAACqqqqqVVUAAKqqqqoAAAAAqqqqqgAAAACqqqqqAAAAAKqqqqoAAAAAqqqqqgAAAACqqqqqAAAAAKqqVVUAAAAA"
            + "AAAAAAAAAACqqqqqAAAAAKqqqqqqqgAAqqpVVQAAAAAAAAAAAAAAAKqqqqoAAAAAqqoAAKqqAACqqlVVqqoAAAAAAAAAAAAAqqqqqgAAAAAAAAAAAAAAAKqq"
            + "VVUAAAAAAAAAAAAAAACqqqqqAAAAAAAAAAAAAAAAqqpVVaqqAAAAAAAAAAAAAKqqqqqqqgAAAAAAAAAAAACqqlVVAAAAAAAAAAAAAAAAqqqqqgAAAAAAAAAA"
            + "AAAAAAAAVVUAAAAAAAAAAAAAAAAAAKqqAAAAAAAAAAAAAAAAqqqqqqqqAACqqgAAqqoAAKqqqqoAAAAAqqqqqqqqAAA=");
    private static final byte[] L2 = Base64.getDecoder().decode(""
            + "qqpVVVVVVVVaWlVVVVVVVVpaVVVVVVVVWlpVVVVVVVVaWlVVVVVVVVpaVVVVVVVVWlpVVVVVVVVaWlVVVVVVVVpaVVVVVVVVqqqlqqZVqqqqqqWqplWqqqqq"
            + "paqmVaqqqqqlqqZVqqqqqqWqplWqqqqqpaqmVaqqqqqlqqZVqqqqqqWqplWqqlpaVVVVVVVVWlpVVVVVVVVaWlVVVVVVVVpaVVVVVVVVWlpVVVVVVVVaWlVV"
            + "VVVVVVpaVVVVVVVVWlpVVVVVVVWqpaWqplWqqqqlpaqmVaqqqqWlqqZVqqqqpaWqplWqqqqlpaqmVaqqqqWlqqZVqqqqpaWqplWqqqqlpaqmVaqqWlpVVVVV"
            + "VVVaWlVVVVVVVVpaVVVVVVVVWlpVVVVVVVVaWlVVVVVVVVpaVVVVVVVVWlpVVVVVVVVaWlVVVVVVVaWlpaqmVaqqpaWlqqZVqqqlpaWqplWqqqWlpaqmVaqq"
            + "paWlqqZVqqqlpaWqplWqqqWlpaqmVaqqpaWlqqZVqqpaWlVVVVVVVVpaVVVVVVVVWlpVVVVVVVVaWlVVVVVVVVpaVVVVVVVVWlpVVVVVVVVaWlVVVVVVVVpa"
            + "VVVVVVVVqqWlqqZVqqqqpaWqplWqqqqlpaqmVaqqqqWlqqZVqqqqpaWqplWqqqqlpaqmVaqqqqWlqqZVqqqqpaWqplWqqqqqVVVVVVVVqqpVVVVVVVWqqlVV"
            + "VVVVVaqqVVVVVVVVpaqqqqqqqqqlqqqqqqqqqqqqVVVVVVVVqqpVVVVVVVWqqlVVVVVVVaqqVVVVVVVVqqpVVVVVVVWqqlVVVVVVVaqqVVVVVVVVqqpVVVVV"
            + "VVWqqlVVVVVVVaqqVVVVVVVVqqpVVVVVVVWqqlVVVVVVVaqqVVVVVVVVqqpVVVVVVVWqqlVVVVVVVaqqVVVVVVVVqqpVVVVVVVWqqlVVVVVVVaqqVVVVVVVV"
            + "qqpVVVVVVVWqqlVVVVVVVaqqVVVVVVVVmaqqqqqqqqqZqqqqqqqqqqWqqqqqqqqqpaqqqqqqqqqpqqqqqqqqqqmqqqqqqqqqqaqqqqqqqqqpqqqqqqqqqqmq"
            + "qqqqqqqqqaqqqqqqqqqlqqqqqqqqqqWqqqqqqqqqpaqqqqqqqqqlqqqqqqqqqqCqqqqpVaqqoKqqqqlVqqqgqqqqqVWqqqCqqqqpVaqqoKqqqqlVqqqgqqqq"
            + "qVWqqqCqqqqpVaqqoKqqqqlVqqqgqqqqqVWqqqCqqqqpVaqqoKqqqqlVqqqgqqqqqVWqqqCqqqqpVaqqoKqqqqlVqqqgqqqqqVWqqqCqqqqpVaqqoKqqqqlV"
            + "qqqgqqqqqVWqqqCqqqqpVaqqoKqqqqlVqqqgqqqqqVWqqqCqqqqpVaqqoKqqqqlVqqqgqqqqqVWqqg==");
    /** For each first-level index marked 3: its row in the second table. */
    private static final short[] ROW = new short[8192];

    static {
        short n = 0;
        for (int i = 0; i < 8192; i++) ROW[i] = get(L1, i) == 3 ? n++ : -1;
    }

    private SveSpace() {}

    private static int get(byte[] t, int i) {
        return (t[i >> 2] >> ((i & 3) * 2)) & 3;
    }

    /** SVE, SVE2 or LATER for a word whose bits 28:25 are 0010. */
    static int classOf(int w) {
        int i = ((w >>> 29) << 10) | (((w >>> 21) & 15) << 6) | ((w >>> 10) & 63);
        int c = get(L1, i);
        return c != 3 ? c : get(L2, ROW[i] * 32 + ((w >>> 16) & 31));
    }
}
