// EPUBCheck on many files in one JVM (EPUBCheck's command line takes one
// file per run, and starting Java costs seconds). Run as a single-file
// source program, with the EPUBCheck jar on the class path:
//
//   java -cp epubcheck.jar .ci/BatchEpubCheck.java a.epub b.epub …
//
// For each file it prints EPUBCheck's own messages, then one line
//   RESULT <fatals> <errors> <warnings> <path>
// and exits 0 (the counts are the result). Used by tests/common/mod.rs.

import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class BatchEpubCheck {
    public static void main(String[] args) {
        // Messages and results in one stream, in order.
        System.setErr(System.out);
        for (String path : args) {
            File f = new File(path);
            DefaultReportImpl report = new DefaultReportImpl(f.getName());
            try {
                new EpubCheck(f, report).doValidate();
            } catch (Throwable t) {
                System.out.println("RESULT 1 0 0 " + path);
                System.out.println("EXCEPTION " + t);
                continue;
            }
            System.out.println("RESULT " + report.getFatalErrorCount() + " "
                + report.getErrorCount() + " " + report.getWarningCount() + " " + path);
        }
    }
}
