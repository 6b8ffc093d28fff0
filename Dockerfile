# JupyterLab with the course installed, serving course/ on port 8888 as a non-root user.
#   docker build -t gdl-course .
#   docker run --rm -p 8888:8888 gdl-course        (then open the URL it prints)
# CPU wheels of PyTorch keep the image small; for CUDA, build with
#   --build-arg TORCH_INDEX_URL=https://pypi.org/simple   (PyPI's CUDA build, about 5 GB)
FROM python:3.11-slim

ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1

RUN useradd --create-home --uid 1000 student
WORKDIR /home/student/gdl-course

# Dependencies first, so editing a notebook does not reinstall PyTorch. The versions are the
# lock's (the same install as `make lab`); PyTorch comes from TORCH_INDEX_URL.
COPY pyproject.toml README.md requirements.lock ./
COPY tools/install.py tools/install.py
COPY src/gdl/__init__.py src/gdl/__init__.py
RUN python tools/install.py --torch-index-url "${TORCH_INDEX_URL}"

COPY --chown=student:student . .
USER student
ENV GDL_DATA_DIR=/home/student/gdl-course/data

EXPOSE 8888
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--port=8888", "--no-browser", "--notebook-dir=/home/student/gdl-course/course"]
