// SPDX-License-Identifier: Apache-2.0
#include "core/explain/report.h"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include <opencv2/imgproc.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/imaging/image_writer.h"

namespace camlabel::explain {

namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kA4Short = 210 * kPointsPerMm, kA4Long = 297 * kPointsPerMm;
constexpr double kMargin = 15 * kPointsPerMm;

cairo_status_t appendTo(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string pdfOf(const cv::Mat& figure) {
  // Cairo's ARGB32 is native-endian 32-bit: B, G, R, A in memory on little-endian machines.
  cv::Mat bgra;
  cv::cvtColor(figure, bgra, cv::COLOR_BGR2BGRA);
  const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, bgra.cols);
  std::vector<unsigned char> pixels(static_cast<std::size_t>(stride) * bgra.rows);
  for (int y = 0; y < bgra.rows; ++y)
    std::memcpy(pixels.data() + static_cast<std::size_t>(y) * stride, bgra.ptr(y),
                static_cast<std::size_t>(bgra.cols) * 4);
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> image(
      cairo_image_surface_create_for_data(pixels.data(), CAIRO_FORMAT_ARGB32, bgra.cols, bgra.rows,
                                          stride),
      cairo_surface_destroy);

  const bool landscape = figure.cols > figure.rows;
  const double pageWidth = landscape ? kA4Long : kA4Short;
  const double pageHeight = landscape ? kA4Short : kA4Long;
  std::string pdf;
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> page(
      cairo_pdf_surface_create_for_stream(appendTo, &pdf, pageWidth, pageHeight),
      cairo_surface_destroy);
  cairo_pdf_surface_set_metadata(page.get(), CAIRO_PDF_METADATA_TITLE, "camlabel figure");
  cairo_pdf_surface_set_metadata(page.get(), CAIRO_PDF_METADATA_CREATOR, "camlabel");
  {
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(page.get()), cairo_destroy);
    const double scale =
        std::min((pageWidth - 2 * kMargin) / bgra.cols, (pageHeight - 2 * kMargin) / bgra.rows);
    cairo_translate(cr.get(), kMargin, kMargin);
    cairo_scale(cr.get(), scale, scale);
    cairo_set_source_surface(cr.get(), image.get(), 0, 0);
    // Keep the pixels sharp when a viewer zooms: no smoothing between them.
    cairo_pattern_set_filter(cairo_get_source(cr.get()), CAIRO_FILTER_NEAREST);
    cairo_paint(cr.get());
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      throw Error(std::string("cannot draw the PDF: ") +
                  cairo_status_to_string(cairo_status(cr.get())));
    }
  }
  cairo_surface_finish(page.get());
  if (cairo_surface_status(page.get()) != CAIRO_STATUS_SUCCESS) {
    throw Error(std::string("cannot write the PDF: ") +
                cairo_status_to_string(cairo_surface_status(page.get())));
  }
  return pdf;
}

}  // namespace

void writeFigure(const std::filesystem::path& path, const cv::Mat& figure) {
  if (figure.empty() || figure.type() != CV_8UC3)
    throw Error("a figure must be an 8-bit BGR image");
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".png") {
    imaging::writeImageFile(path, figure);
  } else if (extension == ".pdf") {
    writeFileAtomically(path, pdfOf(figure));
  } else {
    throw Error("cannot write a figure as '" + path.filename().string() + "': use .png or .pdf");
  }
}

}  // namespace camlabel::explain
