package io.github.knetj.io;

import io.github.knetj.api.DType;
import io.github.knetj.autograd.check.EpsSweep;
import io.github.knetj.autograd.check.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every row of a gradient check and of an eps sweep as CSV, with quoting where a cell needs it. */
class CheckCsvTest {
    @Test
    void aReportHasARowPerEntry(@TempDir Path dir) throws IOException {
        GradCheck.Report r = new GradCheck.Report(List.of(
                new GradCheck.Entry("w", "[2, 3]", DType.FLOAT64, "jacobian", 1.5e-9, 2e-10, 1e-6, true),
                new GradCheck.Entry("b, bias", "[3]", DType.FLOAT64, "projection", 0.25, Double.NaN, 1e-6, false)), 1e-6);
        String csv = CheckCsv.of(r);
        assertEquals("""
                name,shape,dtype,method,max_abs_error,max_rel_error,tolerance,pass,eps
                w,"[2, 3]",float64,jacobian,1.5E-9,2.0E-10,1.0E-6,true,1.0E-6
                "b, bias",[3],float64,projection,0.25,,1.0E-6,false,1.0E-6
                """, csv);
        CheckCsv.write(dir.resolve("check.csv"), csv);
        assertEquals(csv, Files.readString(dir.resolve("check.csv")));
    }

    @Test
    void aSweepHasARowPerDtypeAndStep() {
        EpsSweep.Result r = new EpsSweep.Result("tanh", "cpu", List.of(
                new EpsSweep.Series(DType.FLOAT32, 2.0, List.of(new EpsSweep.Point(0.1, 1e-3, 5e-2), new EpsSweep.Point(0.01, 1e-5, 5e-3))),
                new EpsSweep.Series(DType.FLOAT64, 2.0, List.of(new EpsSweep.Point(0.1, 1e-3, Double.NaN)))));
        assertEquals("""
                subject,backend,dtype,scale,eps,central_error,forward_error
                tanh,cpu,float32,2.0,0.1,0.001,0.05
                tanh,cpu,float32,2.0,0.01,1.0E-5,0.005
                tanh,cpu,float64,2.0,0.1,0.001,
                """, CheckCsv.of(r));
        assertEquals("\"say \"\"hi\"\"\"", CheckCsv.cell("say \"hi\""));
    }
}
